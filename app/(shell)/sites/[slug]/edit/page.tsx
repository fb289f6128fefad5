import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SiteForm } from "@/components/sites/site-form";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { PageHeader } from "@/components/ui/page-header";
import { getSite } from "@/lib/fleet/sites";
import { requireRole } from "../../../../_lib/auth";

export const metadata: Metadata = { title: "Edit site" };

export default async function EditSitePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, isAllowed } = await requireRole(`/sites/${slug}/edit`, "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Editing sites" />;
  const site = await getSite(slug);
  if (!site) notFound();
  return (
    <div className="page">
      <PageHeader
        crumbs={[
          { href: "/sites", label: "Sites" },
          { href: `/sites/${site.slug}`, label: site.name },
        ]}
        title={`Edit ${site.name}`}
      />
      <SiteForm site={site} />
    </div>
  );
}
