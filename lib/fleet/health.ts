import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { type GridTile, siteTiles } from "@/lib/grid/tiles";
import { certHealth } from "@/lib/health/cert";
import { clusterFreshness } from "@/lib/health/freshness";
import type {
  CertHealth,
  ClusterFreshness,
  FleetCounts,
  NodeHealth,
  SiteHealth,
  SiteStatus,
} from "@/lib/health/model";
import { nodeHealth } from "@/lib/health/node";
import { rollUpSites, siteHealth } from "@/lib/health/site";
import type { ClusterSnapshot, SiteHealthInput } from "@/lib/health/types";
import { telemetryForSites } from "@/lib/telemetry/read";
import type { TelemetryStatus } from "@/lib/telemetry/types";
import { healthInput, intervalMs, loadSiteInputs, reachRecord } from "./health-input";

// The alert evaluator and others read the health inputs' helpers from here too.
export { intervalMs, reachRecord, reachSelect, statusSelect } from "./health-input";

import type { FleetQuery } from "./schemas";

// Loads what the collector stored and hands it to the pure health model. The
// fleet-wide roll-up reads only the small per-cluster summaries and is cached
// for a moment, because every open control-room screen polls it.

export const FLEET_CACHE_MS = 2_000;

export interface FleetSite extends SiteHealth {
  kind: string;
  labels: Record<string, string>;
  latitude: number | null;
  longitude: number | null;
}

export interface FleetHealth {
  generatedAt: string;
  intervalMs: number;
  counts: FleetCounts;
  sites: FleetSite[];
  /** whether the telemetry axis could be judged; "unavailable (reason)" leaves every site's axis "unknown" */
  telemetry: TelemetryStatus;
}

/** Every site rolled up from what is stored, at `now`: the pure roll-up, uncached (tests and benchmarks compare against it). */
export async function rollUpFleet(now: number): Promise<FleetHealth> {
  const { sites: loaded, telemetry } = await loadSiteInputs(null, now);
  const extras = new Map<string, Pick<FleetSite, "kind" | "labels" | "latitude" | "longitude">>();
  for (const s of loaded)
    extras.set(s.input.id, { kind: s.kind, labels: s.labels, latitude: s.latitude, longitude: s.longitude });
  const interval = intervalMs();
  const { sites, counts } = rollUpSites(
    loaded.map((s) => s.input),
    now,
    interval,
  );
  return {
    generatedAt: new Date(now).toISOString(),
    intervalMs: interval,
    counts,
    telemetry: telemetry.status,
    sites: sites.map((h) => ({
      ...h,
      ...(extras.get(h.siteId) ?? { kind: "other", labels: {}, latitude: null, longitude: null }),
    })),
  };
}

/**
 * Health inputs (with telemetry) of a few sites, for views that judge clusters
 * one by one (the control center's grid). Never the whole fleet: callers page.
 */
export async function siteHealthInputs(
  siteIds: readonly string[],
  now = Date.now(),
): Promise<SiteHealthInput[]> {
  if (siteIds.length === 0) return [];
  const { sites } = await loadSiteInputs(siteIds, now);
  const byId = new Map(sites.map((s) => [s.input.id, s.input]));
  return siteIds.flatMap((id) => byId.get(id) ?? []);
}

const globalCache = globalThis as unknown as {
  outpostFleetCache?: { at: number; value: Promise<FleetHealth> };
};

export function fleetHealth(now = Date.now()): Promise<FleetHealth> {
  const cached = globalCache.outpostFleetCache;
  if (cached && now - cached.at < FLEET_CACHE_MS) return cached.value;
  const value = rollUpFleet(now);
  globalCache.outpostFleetCache = { at: now, value };
  value.catch(() => {
    if (globalCache.outpostFleetCache?.value === value) globalCache.outpostFleetCache = undefined;
  });
  return value;
}

export { type FleetQuery, fleetQuerySchema } from "./schemas";

export interface FleetPage {
  generatedAt: string;
  intervalMs: number;
  counts: FleetCounts;
  matching: number;
  offset: number;
  items: FleetSite[];
  telemetry: TelemetryStatus;
}

export function filterFleet(fleet: FleetHealth, q: FleetQuery): FleetPage {
  const text = q.q?.toLowerCase();
  // Split at the first "=" only: label values may contain "=".
  const eq = q.label?.indexOf("=") ?? -1;
  const labelKey = q.label ? (eq >= 0 ? q.label.slice(0, eq) : q.label) : undefined;
  const labelValue = q.label && eq >= 0 ? q.label.slice(eq + 1) : undefined;
  const statuses = new Set(q.status);
  const matches = fleet.sites.filter(
    (s) =>
      (statuses.size === 0 || statuses.has(s.status)) &&
      (!q.kind || s.kind === q.kind) &&
      // Own keys only: "__proto__" or "constructor" must not match every site.
      (!labelKey ||
        (Object.hasOwn(s.labels, labelKey) &&
          (labelValue === undefined || s.labels[labelKey] === labelValue))) &&
      (!text ||
        s.name.toLowerCase().includes(text) ||
        s.slug.includes(text) ||
        s.reasons.some((r) => r.sentence.toLowerCase().includes(text))),
  );
  return {
    generatedAt: fleet.generatedAt,
    intervalMs: fleet.intervalMs,
    counts: fleet.counts,
    matching: matches.length,
    offset: q.offset,
    items: matches.slice(q.offset, q.offset + q.limit),
    telemetry: fleet.telemetry,
  };
}

export interface MapPoint {
  id: string;
  slug: string;
  name: string;
  status: SiteStatus;
  latitude: number;
  longitude: number;
}

export function mapPoints(fleet: FleetHealth): MapPoint[] {
  return fleet.sites
    .filter((s) => s.latitude !== null && s.longitude !== null)
    .map((s) => ({
      id: s.siteId,
      slug: s.slug,
      name: s.name,
      status: s.status,
      latitude: s.latitude as number,
      longitude: s.longitude as number,
    }));
}

export interface NodeDetail extends NodeHealth {
  snapshot: ClusterSnapshot["nodes"][number];
}

export interface ClusterDetail {
  id: string;
  name: string;
  server: string;
  k3sVersion: string | null;
  platform: string | null;
  freshness: ClusterFreshness;
  cert: CertHealth;
  certNotAfter: string | null;
  observedAt: string | null;
  nodes: NodeDetail[];
  workloadProblems: ClusterSnapshot["workloadProblems"];
  warningEvents: ClusterSnapshot["warningEvents"];
  partialErrors: string[];
  contactHistory: ContactHistoryEntry[];
}

export interface ContactHistoryEntry {
  at: string;
  /** up | down | intermittent (a run: endAt null while it lasts) | cert-changed */
  kind: string;
  /** down / intermittent: the first failure */
  errorClass: string | null;
  message: string | null;
  /** the failure happening now (or last, once over) when its class differs from the first */
  latestErrorClass: string | null;
  latestMessage: string | null;
  latestAt: string | null;
  endAt: string | null;
  polls: number | null;
  failures: number | null;
}

export interface SiteDetail {
  generatedAt: string;
  intervalMs: number;
  health: SiteHealth;
  /** one tile per cluster, each judged by the same model as a site (views: the site health grid) */
  tiles: GridTile[];
  telemetry: TelemetryStatus;
  clusters: ClusterDetail[];
}

const CONTACT_HISTORY = 20;

/** Full health of one site, from the stored snapshots (read on demand, never for the whole fleet). */
export async function siteDetail(idOrSlug: string, now = Date.now()): Promise<SiteDetail> {
  const site = await db().site.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    include: {
      clusters: {
        orderBy: { name: "asc" },
        include: {
          status: true,
          contactEvents: { orderBy: { at: "desc" }, take: CONTACT_HISTORY },
        },
      },
    },
  });
  if (!site) throw new AppError("not_found", "Site not found");
  const interval = intervalMs();
  const telemetry = await telemetryForSites([site], { now });
  const t = telemetry.bySite.get(site.id);
  const input: SiteHealthInput = { ...healthInput(site), ...(t ? { telemetry: t } : {}) };
  const clusters: ClusterDetail[] = site.clusters.map((c) => {
    const snapshot = c.status?.snapshot ? (JSON.parse(c.status.snapshot) as ClusterSnapshot) : null;
    return {
      id: c.id,
      name: c.name,
      server: c.server,
      k3sVersion: snapshot?.gitVersion ?? c.status?.gitVersion ?? c.k3sVersion,
      platform: snapshot?.platform ?? c.platform,
      freshness: clusterFreshness(reachRecord(c.status), now, interval),
      cert: certHealth(c.certNotAfter?.toISOString() ?? null, now),
      certNotAfter: c.certNotAfter?.toISOString() ?? null,
      observedAt: snapshot?.observedAt ?? null,
      nodes: (snapshot?.nodes ?? []).map((n) => ({
        ...nodeHealth(n, snapshot?.observedAt ?? now),
        snapshot: n,
      })),
      workloadProblems: snapshot?.workloadProblems ?? [],
      warningEvents: snapshot?.warningEvents ?? [],
      partialErrors: snapshot?.partialErrors ?? [],
      contactHistory: c.contactEvents.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        errorClass: e.errorClass,
        message: e.message,
        latestErrorClass: e.latestErrorClass,
        latestMessage: e.latestMessage,
        latestAt: e.latestAt?.toISOString() ?? null,
        endAt: e.endAt?.toISOString() ?? null,
        polls: e.polls,
        failures: e.failures,
      })),
    };
  });
  return {
    generatedAt: new Date(now).toISOString(),
    intervalMs: interval,
    health: siteHealth(input, now, interval),
    tiles: siteTiles(input, now, interval),
    telemetry: telemetry.status,
    clusters,
  };
}
