import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClusterRegistration } from "@/components/clusters/cluster-registration";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { PageHeader } from "@/components/ui/page-header";
import { getSite } from "@/lib/fleet/sites";
import { requireRole } from "../../../../../_lib/auth";

export const metadata: Metadata = { title: "Register cluster" };

export default async function RegisterClusterPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, isAllowed } = await requireRole(`/sites/${slug}/clusters/new`, "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Registering clusters" />;
  const site = await getSite(slug);
  if (!site) notFound();
  return (
    <div className="page">
      <PageHeader
        crumbs={[
          { href: "/sites", label: "Sites" },
          { href: `/sites/${site.slug}`, label: site.name },
        ]}
        title="Register cluster"
        description={`Add a k3s cluster running at ${site.name}.`}
      />
      <ClusterRegistration siteId={site.id} siteSlug={site.slug} siteName={site.name} />
    </div>
  );
}
