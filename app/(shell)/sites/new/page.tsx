import type { Metadata } from "next";
import { SiteForm } from "@/components/sites/site-form";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { PageHeader } from "@/components/ui/page-header";
import { requireRole } from "../../../_lib/auth";

export const metadata: Metadata = { title: "New site" };

export default async function NewSitePage() {
  const { actor, isAllowed } = await requireRole("/sites/new", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Adding sites" />;
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
