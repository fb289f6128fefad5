import type { Metadata } from "next";
import { DataSourceForm } from "@/components/telemetry/data-source-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "../../../../_lib/auth";

export const metadata: Metadata = { title: "Add data source" };

export default async function NewDataSourcePage() {
  await requireActor("/settings/data-sources/new");
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
