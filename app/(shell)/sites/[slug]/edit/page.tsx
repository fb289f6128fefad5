import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SiteForm } from "@/components/sites/site-form";
import { PageHeader } from "@/components/ui/page-header";
import { getSite } from "@/lib/fleet/sites";
import { requireActor } from "../../../../_lib/auth";

export const metadata: Metadata = { title: "Edit site" };

export default async function EditSitePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireActor(`/sites/${slug}/edit`);
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
