import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DataSourceForm } from "@/components/telemetry/data-source-form";
import { PageHeader } from "@/components/ui/page-header";
import { getDataSource } from "@/lib/telemetry/data-sources";
import { requireActor } from "../../../../_lib/auth";

export const metadata: Metadata = { title: "Edit data source" };

export default async function EditDataSourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireActor(`/settings/data-sources/${id}`);
  const dataSource = await getDataSource(id);
  if (!dataSource) notFound();
  return (
    <div className="page">
      <PageHeader
        crumbs={[{ href: "/settings/data-sources", label: "Data sources" }]}
        title={`Edit ${dataSource.name}`}
      />
      <DataSourceForm dataSource={dataSource} />
    </div>
  );
}
