import type { Metadata } from "next";
import { DataSourceForm } from "@/components/telemetry/data-source-form";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "../../../../_lib/auth";

export const metadata: Metadata = { title: "Add data source" };

export default async function NewDataSourcePage() {
  const { actor, isAllowed } = await requireRole("/settings/data-sources/new", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Managing data sources" />;
  return (
    <div className="page">
      <PageHeader
        crumbs={[{ href: "/settings/data-sources", label: "Data sources" }]}
        title="Add data source"
      />
      <DataSourceForm dataSource={null} />
    </div>
  );
}
