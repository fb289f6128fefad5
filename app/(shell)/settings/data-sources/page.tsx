import type { Metadata } from "next";
import { DataSourcesManager } from "@/components/telemetry/data-sources-manager";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { listDataSources } from "@/lib/telemetry/data-sources";
import { requireRole } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Data sources" };

export default async function DataSourcesPage() {
  const { actor, isAllowed } = await requireRole("/settings/data-sources", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Managing data sources" />;
  const items = await listDataSources();
  return (
    <div className="page">
      <DataSourcesManager initial={items} />
    </div>
  );
}
