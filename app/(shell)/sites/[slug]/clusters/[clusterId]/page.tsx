import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ClusterHealthView } from "@/components/clusters/cluster-health-view";
import { isAppError } from "@/lib/errors";
import { siteDetail } from "@/lib/fleet/health";
import { requireActor } from "../../../../../_lib/auth";

type Props = { params: Promise<{ slug: string; clusterId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  return { title: `Cluster · ${decodeURIComponent(slug)}` };
}

/** One cluster in depth. It reads the same site health document the site page polls (one request, shared cache). */
export default async function ClusterPage({ params }: Props) {
  const { slug, clusterId } = await params;
  await requireActor(`/sites/${slug}/clusters/${clusterId}`);
  let detail: Awaited<ReturnType<typeof siteDetail>>;
  try {
    detail = await siteDetail(slug);
  } catch (err) {
    if (isAppError(err) && err.code === "not_found") notFound();
    throw err;
  }
  if (!detail.clusters.some((c) => c.id === clusterId)) notFound();
  return <ClusterHealthView slug={detail.health.slug} clusterId={clusterId} initial={detail} />;
}
