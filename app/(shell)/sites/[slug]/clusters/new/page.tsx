import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClusterRegistration } from "@/components/clusters/cluster-registration";
import { PageHeader } from "@/components/ui/page-header";
import { getSite } from "@/lib/fleet/sites";
import { requireActor } from "../../../../../_lib/auth";

export const metadata: Metadata = { title: "Register cluster" };

export default async function RegisterClusterPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await requireActor(`/sites/${slug}/clusters/new`);
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
