import "server-only";
import { type FleetSite, filterFleet, fleetHealth } from "@/lib/fleet/health";
import { type FleetCounts, SITE_STATUSES } from "@/lib/health/model";
import { roundWidth, telemetryPollMs } from "@/lib/queries/telemetry";
import type { NodeMatrix, SiteChartData } from "@/lib/telemetry/site-chart-types";
import { siteChart } from "@/lib/telemetry/site-charts";
import type { TelemetrySeries } from "@/lib/telemetry/types";
import { deny, type EmbedAccess, EmbedRefusal, type Surface } from "./access";
import type { EmbedRange, SiteFilter } from "./model";
import { chooseRange, narrowFilter, siteTarget } from "./scope";
import type { ChartPayload, EmbedPayload, StatusPayload, StripPayload } from "./types";

// Data of an embed, built from the SAME server-side readers the main UI uses
// (siteChart — one view per request — for charts, the cached fleet roll-up for
// cards and strips),
// with the grant's locked parameters compiled in here: the client only picks
// among the grant's ranges. Identical requests of all viewers share one
// answer for a few seconds, so a popular embed costs one query per bucket.

/** Status cards and strips refresh at this rate; charts follow the site page's intervals. */
export const EMBED_STATUS_REFRESH_MS = 10_000;
/** Three missed refreshes and the data on screen is greyed (the main UI's rule, HEALTH_DATA_OLD_MS). */
export const OLD_AFTER_REFRESHES = 3;
/** Identical chart requests within this share one answer (the InfluxDB client caches as long). */
export const CHART_SHARE_MS = 5_000;
/** One bucket per this many pixels: half the main chart's density, a quarter of the HTML. */
export const EMBED_PX_PER_POINT = 2;
/** Never fewer buckets than this, whatever the frame says. */
const MIN_BUCKETS = 150;
const DEFAULT_WIDTH = 600;

const shared = globalThis as unknown as {
  outpostEmbedShared?: Map<string, { at: number; value: Promise<SiteChartData> }>;
};
shared.outpostEmbedShared ??= new Map();
const chartCache = shared.outpostEmbedShared;

export function clearEmbedDataCache(): void {
  chartCache.clear();
}

type ChartView = "temperature" | "connectivity" | "turbine";

function sharedTelemetry(
  siteId: string,
  view: ChartView,
  field: string | undefined,
  range: EmbedRange,
  width: number,
  now: number,
): Promise<SiteChartData> {
  const key = `${siteId}|${view}|${field ?? ""}|${range}|${width}`;
  const hit = chartCache.get(key);
  if (hit && now - hit.at < CHART_SHARE_MS) return hit.value;
  // Only the view the grant shows, like the site page; "latest" is never asked here.
  const value = siteChart(
    siteId,
    { view, range, width, ...(view === "connectivity" ? { rtt: true } : {}), ...(field ? { field } : {}) },
    { now },
  ) as Promise<SiteChartData>;
  if (chartCache.size > 5_000) chartCache.clear();
  chartCache.set(key, { at: now, value });
  value.catch(() => chartCache.delete(key));
  return value;
}

export interface DataRequest {
  range?: string;
  width?: number;
  surface: Surface;
  origin: string | null;
  now?: number;
}

async function siteFor(access: EmbedAccess, req: DataRequest): Promise<FleetSite> {
  const { grant, params } = access;
  const target = siteTarget(grant, params);
  if ("reason" in target)
    throw deny(
      new EmbedRefusal(target.reason, target.message, { grantId: grant.id }),
      req.surface,
      req.origin,
    );
  const fleet = await fleetHealth(req.now);
  if (target.type === "fixed") {
    const site = fleet.sites.find((s) => s.siteId === target.siteId);
    if (!site)
      throw deny(
        new EmbedRefusal("invalid", "the grant's site is gone", { grantId: grant.id }),
        req.surface,
        req.origin,
      );
    return site;
  }
  const site = fleet.sites.find((s) => s.slug === target.site || s.siteId === target.site);
  // An unknown site and a site outside the filter get the same answer: the token learns nothing.
  const inScope =
    site &&
    filterFleet({ ...fleet, sites: [site] }, { status: [], ...target.filter, offset: 0, limit: 1 })
      .matching === 1;
  if (!site || !inScope)
    throw deny(
      new EmbedRefusal("scope", `site ${target.site.slice(0, 100)} is outside the grant`, {
        grantId: grant.id,
      }),
      req.surface,
      req.origin,
    );
  return site;
}

/**
 * One line per node: the chart API's lines when it drew every node (a few), else
 * the matrix rows (the hottest / mean reading per node and bucket) — an embed has
 * no rows to click, so it shows every node, never only the picked ones.
 */
function perNode(
  lines: TelemetrySeries[],
  isAll: boolean,
  matrix: NodeMatrix,
  unit: string,
): TelemetrySeries[] {
  if (isAll || matrix.rows.length === 0) return lines;
  return matrix.rows.map((row) => ({
    id: row.id,
    label: row.label,
    unit,
    points: row.cells.map((v, i) => ({ t: matrix.start + i * matrix.intervalMs, mean: v })),
  }));
}

function newest(series: readonly TelemetrySeries[]): number | null {
  let latest: number | null = null;
  for (const s of series)
    for (let i = s.points.length - 1; i >= 0; i--) {
      const p = s.points[i];
      if (p && p.mean !== null) {
        if (latest === null || p.t > latest) latest = p.t;
        break;
      }
    }
  return latest;
}

async function chartPayload(access: EmbedAccess, req: DataRequest, now: number): Promise<ChartPayload> {
  const { grant } = access;
  const range = chooseRange(grant, access.params.range, req.range);
  if (typeof range !== "string")
    throw deny(new EmbedRefusal(range.reason, range.message, { grantId: grant.id }), req.surface, req.origin);
  const site = await siteFor(access, req);
  const width = roundWidth(Math.max(MIN_BUCKETS, (req.width ?? DEFAULT_WIDTH) / EMBED_PX_PER_POINT));
  const view: ChartView =
    grant.kind === "site-status" || grant.kind === "fleet-strip" ? "temperature" : grant.kind;
  const t = await sharedTelemetry(site.siteId, view, grant.metric ?? undefined, range, width, now);
  const refreshMs = telemetryPollMs(range) || EMBED_STATUS_REFRESH_MS;
  const base = {
    generatedAt: new Date(now).toISOString(),
    refreshMs,
    oldAfterMs: OLD_AFTER_REFRESHES * refreshMs,
    site: { slug: site.slug, name: site.name },
    range,
    // A token that pins the range offers no other.
    ranges: access.params.range ? [range] : grant.ranges,
    from: t.from,
    to: t.to,
    intervalMs: t.intervalMs,
    unavailable: t.unavailable,
  };
  if (t.view === "temperature") {
    const series = perNode(t.lines, t.lineSelection === "all", t.matrix, "°C");
    return {
      ...base,
      kind: "temperature",
      title: `Board temperature · ${site.name}`,
      unit: "°C",
      series,
      thresholdCelsius: t.threshold.celsius,
      latestAt: newest(series),
    };
  }
  if (t.view === "connectivity") {
    const series = t.rtt ?? [];
    return {
      ...base,
      kind: "connectivity",
      title: `Round-trip time · ${site.name}`,
      unit: "ms",
      series,
      bands: t.timeline.map((row) => ({ host: row.host, bands: row.runs.filter((r) => r.state !== "up") })),
      latestAt: newest(series),
    };
  }
  const metric = t.field;
  const unit = metric?.unit ?? "";
  const series = metric ? perNode(t.lines, t.lineSelection === "all", t.matrix, unit) : [];
  return {
    ...base,
    kind: "turbine",
    title: `${metric?.label ?? grant.metric ?? "Turbine metric"} · ${site.name}`,
    unit,
    series,
    latestAt: newest(series),
  };
}

async function statusPayload(access: EmbedAccess, req: DataRequest, now: number): Promise<StatusPayload> {
  const site = await siteFor(access, req);
  return {
    kind: "site-status",
    generatedAt: new Date(now).toISOString(),
    refreshMs: EMBED_STATUS_REFRESH_MS,
    oldAfterMs: OLD_AFTER_REFRESHES * EMBED_STATUS_REFRESH_MS,
    site: { slug: site.slug, name: site.name },
    status: site.status,
    headline: site.headline,
    since: site.since,
    lastSeenAt: site.lastSeenAt,
    reasons: site.reasons.slice(0, 3).map((r) => ({ sentence: r.sentence, since: r.since })),
    counts: {
      clusters: site.counts.clusters,
      clustersFresh: site.counts.clustersFresh,
      nodes: site.counts.nodes,
      nodesReady: site.counts.nodesReady,
    },
  };
}

async function stripPayload(access: EmbedAccess, req: DataRequest, now: number): Promise<StripPayload> {
  const { grant, params } = access;
  if (params.site !== undefined)
    throw deny(
      new EmbedRefusal("scope", "a fleet strip counts sites; it takes no site", { grantId: grant.id }),
      req.surface,
      req.origin,
    );
  const filter = narrowFilter(grant.filter, params);
  if ("reason" in filter)
    throw deny(
      new EmbedRefusal(filter.reason, filter.message, { grantId: grant.id }),
      req.surface,
      req.origin,
    );
  const fleet = await fleetHealth(now);
  const page = filterFleet(fleet, {
    status: [],
    ...filter,
    offset: 0,
    limit: fleet.sites.length,
  });
  const counts = Object.fromEntries(SITE_STATUSES.map((s) => [s, 0])) as FleetCounts;
  counts.total = page.matching;
  for (const s of page.items) counts[s.status] += 1;
  return {
    kind: "fleet-strip",
    generatedAt: new Date(now).toISOString(),
    refreshMs: EMBED_STATUS_REFRESH_MS,
    oldAfterMs: OLD_AFTER_REFRESHES * EMBED_STATUS_REFRESH_MS,
    filter: filter as SiteFilter,
    counts,
  };
}

export async function embedPayload(access: EmbedAccess, req: DataRequest): Promise<EmbedPayload> {
  const now = req.now ?? Date.now();
  switch (access.grant.kind) {
    case "site-status":
      return statusPayload(access, req, now);
    case "fleet-strip":
      return stripPayload(access, req, now);
    default:
      return chartPayload(access, req, now);
  }
}
