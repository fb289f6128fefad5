import type { Metadata } from "next";
import { DataSourcesManager } from "@/components/telemetry/data-sources-manager";
import { listDataSources } from "@/lib/telemetry/data-sources";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Data sources" };

export default async function DataSourcesPage() {
  await requireActor("/settings/data-sources");
  const items = await listDataSources();
  return (
    <div className="page">
      <DataSourcesManager initial={items} />
    </div>
  );
}
