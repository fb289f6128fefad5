import type { Metadata } from "next";
import { SiteForm } from "@/components/sites/site-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "New site" };

export default async function NewSitePage() {
  await requireActor("/sites/new");
  return (
    <div className="page">
      <PageHeader
        crumbs={[{ href: "/sites", label: "Sites" }]}
        title="New site"
        description="A place that runs k3s clusters. Register its clusters on the next page."
      />
      <SiteForm site={null} />
    </div>
  );
}
