import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SiteDetail } from "@/components/sites/site-detail";
import { hasRole } from "@/lib/auth/roles";
import { listClusters } from "@/lib/fleet/clusters";
import { siteDetail } from "@/lib/fleet/health";
import { getSite } from "@/lib/fleet/sites";
import { requireActor } from "../../../_lib/auth";

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: decodeURIComponent(slug) };
}

export default async function SitePage({ params }: Props) {
  const { slug } = await params;
  const actor = await requireActor(`/sites/${slug}`);
  const site = await getSite(slug);
  if (!site) notFound();
  // Both reads are independent: no waterfall on the server either.
  const [clusters, health] = await Promise.all([listClusters(site.id), siteDetail(site.id)]);
  return (
    <SiteDetail
      slug={site.slug}
      initial={{ site, clusters }}
      initialHealth={health}
      isAdmin={hasRole(actor.role, "admin")}
      isOperator={hasRole(actor.role, "operator")}
    />
  );
}
