import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DataSourceForm } from "@/components/telemetry/data-source-form";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { PageHeader } from "@/components/ui/page-header";
import { getDataSource } from "@/lib/telemetry/data-sources";
import { requireRole } from "../../../../_lib/auth";

export const metadata: Metadata = { title: "Edit data source" };

export default async function EditDataSourcePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, isAllowed } = await requireRole(`/settings/data-sources/${id}`, "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Managing data sources" />;
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
