// The site health grid: one tile per cluster (a turbine, a line of a factory),
// judged by the same health model as a site, as if the cluster were a site of
// its own. Pure: the loader hands in the site's health input, out come tiles.
import { isHot, isReadingCurrent } from "@/lib/health/hot";
import type { SiteStatus } from "@/lib/health/model";
import { siteHealth } from "@/lib/health/site";
import type { SiteHealthInput } from "@/lib/health/types";

/** Sites with more clusters than this get the grid instead of one card per cluster. */
export const GRID_MIN_CLUSTERS = 4;

export interface GridTile {
  clusterId: string;
  name: string;
  status: SiteStatus;
  /** one sentence: why this state */
  headline: string;
  /** when the current state began (null when healthy or unknown) */
  since: string | null;
  /** last successful poll */
  lastSeenAt: string | null;
  nodes: number;
  nodesReady: number;
  /** the hottest node's latest reading (°C) and when it was taken */
  tempC: number | null;
  tempAt: string | null;
  /** that reading is current and above the limit */
  isHot: boolean;
  /** the reading is older than "current" (shown with its age, greyed) */
  isTempStale: boolean;
  thresholdCelsius: number | null;
}

/** One cluster's health: the site's own rules on a site made of that cluster alone. */
export function clusterTile(
  site: SiteHealthInput,
  clusterId: string,
  now: number,
  intervalMs: number,
): GridTile | null {
  const cluster = site.clusters.find((c) => c.id === clusterId);
  if (!cluster) return null;
  const hosts = site.telemetry?.hosts.filter((h) => h.clusterId === clusterId) ?? [];
  const alone: SiteHealthInput = {
    ...site,
    clusters: [cluster],
    ...(site.telemetry ? { telemetry: { ...site.telemetry, hosts } } : {}),
  };
  const health = siteHealth(alone, now, intervalMs);
  // The hottest current reading speaks for the cluster; without one, the newest old one (greyed).
  let best: { tempC: number; atMs: number } | null = null;
  let isBestCurrent = false;
  for (const h of hosts) {
    if (h.tempC === null || h.tempAt === null) continue;
    const atMs = Date.parse(h.tempAt);
    const isCurrent = isReadingCurrent(atMs, now);
    if (
      best === null ||
      (isCurrent && !isBestCurrent) ||
      (isCurrent === isBestCurrent && (isCurrent ? h.tempC > best.tempC : atMs > best.atMs))
    ) {
      best = { tempC: h.tempC, atMs };
      isBestCurrent = isCurrent;
    }
  }
  const threshold = site.telemetry?.warnCelsius ?? null;
  return {
    clusterId,
    name: cluster.name,
    status: health.status,
    headline: health.headline,
    since: health.since,
    lastSeenAt: health.lastSeenAt,
    nodes: health.counts.nodes,
    nodesReady: health.counts.nodesReady,
    tempC: best?.tempC ?? null,
    tempAt: best ? new Date(best.atMs).toISOString() : null,
    isHot:
      best !== null && threshold !== null && isHot({ tempC: best.tempC, atMs: best.atMs }, threshold, now),
    isTempStale: best !== null && !isBestCurrent,
    thresholdCelsius: threshold,
  };
}

const byName = new Intl.Collator("en", { numeric: true }).compare;

/** Every cluster of a site as a tile, by name (turbine-2 before turbine-10), whatever order the input has. */
export function siteTiles(site: SiteHealthInput, now: number, intervalMs: number): GridTile[] {
  return [...site.clusters]
    .sort((a, b) => byName(a.name, b.name))
    .flatMap((c) => clusterTile(site, c.id, now, intervalMs) ?? []);
}
