import "server-only";
import { db } from "@/lib/db/client";
import { labelsSchema } from "@/lib/fleet/schemas";
import type { ClusterFacts } from "./engine";
import { clusterFacts } from "./facts";
import { matchesSelector, type TargetSelector } from "./selector";
import { orderTargets } from "./waves";

// A selector resolved against the registry: the clusters a deployment would go
// to, in rollout order, with what the operator needs to see before anything
// runs (how many, where, which of them cannot be reached right now).

export interface ResolvedTarget {
  clusterId: string;
  clusterName: string;
  clusterLabels: Record<string, string>;
  siteId: string;
  siteSlug: string;
  siteName: string;
  siteKind: string;
  siteLabels: Record<string, string>;
}

function labels(text: string): Record<string, string> {
  try {
    const parsed = labelsSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function resolveTargets(selector: TargetSelector): Promise<ResolvedTarget[]> {
  const sites = await db().site.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      labels: true,
      clusters: { select: { id: true, name: true, labels: true } },
    },
  });
  const out: ResolvedTarget[] = [];
  for (const s of sites) {
    const site = { id: s.id, slug: s.slug, kind: s.kind, labels: labels(s.labels) };
    for (const c of s.clusters) {
      const cluster = { id: c.id, name: c.name, labels: labels(c.labels) };
      if (!matchesSelector(selector, site, cluster)) continue;
      out.push({
        clusterId: c.id,
        clusterName: c.name,
        clusterLabels: cluster.labels,
        siteId: s.id,
        siteSlug: s.slug,
        siteName: s.name,
        siteKind: s.kind,
        siteLabels: site.labels,
      });
    }
  }
  return orderTargets(out);
}

export interface TargetPreviewRow extends ResolvedTarget {
  reach: ClusterFacts["reach"];
  reachReason: string;
  isExpectedOffline: boolean;
  maintenance: ClusterFacts["maintenance"];
}

export interface ResolvedSet {
  total: number;
  sites: number;
  byKind: Record<string, number>;
  reachable: number;
  waiting: number;
  /** the first rows, in rollout order (the page shows them; the count says how many more) */
  targets: TargetPreviewRow[];
}

/** "These 213 clusters at 41 sites; 209 reachable now, 4 will wait for their site." */
export async function describeTargets(
  selector: TargetSelector,
  limit = 200,
  now = Date.now(),
): Promise<ResolvedSet> {
  const targets = await resolveTargets(selector);
  const facts = await clusterFacts(
    targets.map((t) => t.clusterId),
    now,
  );
  const byKind: Record<string, number> = {};
  let reachable = 0;
  const rows: TargetPreviewRow[] = targets.map((t) => {
    byKind[t.siteKind] = (byKind[t.siteKind] ?? 0) + 1;
    const f = facts.get(t.clusterId);
    if (f?.reach === "fresh" && !f.maintenance) reachable++;
    return {
      ...t,
      reach: f?.reach ?? "unknown",
      reachReason: f?.reachReason ?? "not contacted yet",
      isExpectedOffline: f?.isExpectedOffline ?? false,
      maintenance: f?.maintenance ?? null,
    };
  });
  return {
    total: targets.length,
    sites: new Set(targets.map((t) => t.siteId)).size,
    byKind,
    reachable,
    waiting: targets.length - reachable,
    targets: rows.slice(0, limit),
  };
}
