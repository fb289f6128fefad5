import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { DataSource } from "@/lib/generated/prisma/client";
import { isHot } from "@/lib/health/hot";
import type { Unavailable } from "@/lib/influx/client";
import {
  buildThresholdChain,
  describeSource,
  resolveThreshold,
  type ThresholdChain,
} from "@/lib/thresholds/chain";
import { configuredFleetDefault, thresholdChain } from "@/lib/thresholds/store";
import { loadDataSourceRows } from "./data-sources";
import { LATEST_WINDOW_MS } from "./queries";
import { sourceFor } from "./site-source";
import { buildSiteTelemetry, type FleetTelemetry, type SiteRef } from "./site-telemetry";
import { sourceCurrency } from "./tick/currency";
import { loadFleetReadings, loadNodesOfSites, loadStatuses } from "./tick/store";
import type { NodeReading } from "./tick/types";
import type { HotNode, HottestNodes, TelemetryStatus, TelemetryUnavailable } from "./types";

// The read path: the stored fleet-latest for health and the hottest list (the
// telemetry tick wrote it; nothing here waits on InfluxDB for a fleet view), and
// per-site charts on a short deadline. Every function answers "telemetry
// unavailable (reason)" instead of throwing when InfluxDB is missing, down,
// slow or refuses us.

/** A chart waits at most this long for InfluxDB (or the source's own timeout, if shorter). */
export const CHART_DEADLINE_MS = 5_000;

export type { FleetTelemetry, SiteRef };
export { sourceFor };

export function telemetryTickMs(): number {
  return env().OUTPOST_TELEMETRY_TICK_SECONDS * 1000;
}

function _toTelemetryUnavailable(u: Unavailable): TelemetryUnavailable {
  return { reason: u.reason, message: u.message };
}

// ---------------------------------------------------------------------------
// Health join: what the telemetry tick stored, never a live InfluxDB query

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

/** Above this many sites one read of every stored host beats IN lists. */
const ALL_NODES_ABOVE = 4_000;

async function storedNodes(siteIds: readonly string[]): Promise<NodeReading[]> {
  return siteIds.length > ALL_NODES_ABOVE ? loadFleetReadings() : loadNodesOfSites(siteIds);
}

/**
 * Telemetry inputs for the health model from the tick's store: the hosts each
 * site's own data source reported. A source whose last answer is older than a
 * short deadline leaves its sites without input (telemetry "unknown") and says
 * why and for how long in `status`: an old answer never passes for a current one.
 */
export async function telemetryForSites(
  sites: readonly SiteRef[],
  options: { now?: number } = {},
): Promise<FleetTelemetry> {
  const now = options.now ?? Date.now();
  let sources: DataSource[];
  try {
    sources = await loadDataSourceRows();
  } catch {
    return {
      bySite: new Map(),
      sourceBySite: new Map(),
      status: { state: "unavailable", reason: "not-configured", message: "data sources could not be read" },
    };
  }
  let chain: ThresholdChain;
  try {
    chain = await thresholdChain(now);
  } catch {
    return {
      bySite: new Map(),
      sourceBySite: new Map(),
      status: { state: "unavailable", reason: "not-configured", message: "thresholds could not be read" },
    };
  }
  const [statuses, nodes] =
    sources.length === 0
      ? [[], []]
      : await Promise.all([loadStatuses(), storedNodes(sites.map((s) => s.id))]);
  return buildSiteTelemetry({ sites, sources, statuses, nodes, now, tickMs: telemetryTickMs(), chain });
}

/** Data sources whose stored telemetry is too old to be served as current at `now`, and every source there is. */
export async function sourceCurrencies(now: number): Promise<{ stale: string[]; all: string[] }> {
  const [rows, statuses] = await Promise.all([loadDataSourceRows(), loadStatuses()]);
  const tickMs = telemetryTickMs();
  const stale = rows
    .filter(
      (r) => !sourceCurrency(statuses.find((s) => s.sourceId === r.id) ?? null, now, tickMs, r.id).isCurrent,
    )
    .map((r) => r.id);
  return { stale, all: rows.map((r) => r.id) };
}

/** The fleet-wide telemetry status (which sources answer, since when) without reading any host. */
export async function fleetTelemetryStatus(now: number): Promise<TelemetryStatus> {
  // The status depends only on which sources the sites read: one stand-in per source in use.
  const used = await db().site.groupBy({ by: ["dataSourceId"] });
  const representatives = used.map((u, i) => ({
    id: `source-${i}`,
    slug: "",
    name: "",
    kind: "",
    dataSourceId: u.dataSourceId,
    clusters: [],
  }));
  const sources = await loadDataSourceRows();
  const statuses = sources.length === 0 ? [] : await loadStatuses();
  return buildSiteTelemetry({
    sites: representatives,
    sources,
    statuses,
    nodes: [],
    now,
    tickMs: telemetryTickMs(),
    // No host is judged here: the status does not depend on thresholds.
    chain: buildThresholdChain(configuredFleetDefault(), []),
  }).status;
}

// ---------------------------------------------------------------------------
// Hottest nodes

/** Top-N hottest nodes of the whole fleet, from the same stored tick the roll-up reads. */
export async function hottestNodes(
  limit: number,
  now = Date.now(),
): Promise<Omit<HottestNodes, "preferredUnit">> {
  const generatedAt = new Date(now).toISOString();
  const rows = await loadDataSourceRows();
  if (rows.length === 0)
    return {
      generatedAt,
      asOf: null,
      unavailable: { reason: "not-configured", message: "no data source configured" },
      items: [],
    };
  const [sites, statuses, nodes] = await Promise.all([
    db().site.findMany({
      select: { id: true, slug: true, name: true, kind: true, dataSourceId: true },
    }),
    loadStatuses(),
    loadFleetReadings(),
  ]);
  const chain = await thresholdChain(now);
  const tickMs = telemetryTickMs();
  // Only sources some site reads from (or the default).
  const used = new Set<string>();
  const def = rows.find((r) => r.isDefault) ?? rows[0];
  if (def) used.add(def.id);
  for (const s of sites)
    if (s.dataSourceId && rows.some((r) => r.id === s.dataSourceId)) used.add(s.dataSourceId);
  let problem: TelemetryUnavailable | null = null;
  let asOf: number | null = null;
  const current = new Set<string>();
  for (const id of used) {
    const c = sourceCurrency(statuses.find((st) => st.sourceId === id) ?? null, now, tickMs);
    if (c.isCurrent) {
      current.add(id);
      if (asOf === null || c.asOf < asOf) asOf = c.asOf;
    } else problem ??= { reason: c.reason, message: c.message };
  }
  const byId = new Map(sites.map((s) => [s.id, s]));
  const items: HotNode[] = [];
  for (const n of nodes) {
    if (!current.has(n.sourceId) || n.tempC === null || n.tempAt === null) continue;
    if (now - n.tempAt > LATEST_WINDOW_MS) continue;
    const site = n.siteId ? byId.get(n.siteId) : undefined;
    // A site reading another source is judged there, not here.
    if (site && (site.dataSourceId ?? def?.id) !== n.sourceId && rows.some((r) => r.id === site.dataSourceId))
      continue;
    // A host no registered site claims is judged by the fleet default.
    const effective = resolveThreshold(chain, {
      kind: site?.kind ?? "",
      siteId: site?.id ?? "",
      clusterId: n.clusterId,
      node: n.host,
    });
    const threshold = effective.celsius;
    items.push({
      host: n.host,
      cluster: n.clusterTag === "" ? null : n.clusterTag,
      site: site ? { id: site.id, slug: site.slug, name: site.name } : null,
      siteTag: n.siteTag === "" ? null : n.siteTag,
      tempC: n.tempC,
      at: new Date(n.tempAt).toISOString(),
      thresholdCelsius: threshold,
      thresholdSource: describeSource(effective.source),
      isHot: isHot({ tempC: n.tempC, atMs: n.tempAt }, threshold, now),
    });
  }
  items.sort((a, b) => b.tempC - a.tempC || a.host.localeCompare(b.host));
  return {
    generatedAt,
    asOf: iso(asOf),
    unavailable: items.length === 0 || current.size < used.size ? problem : null,
    items: items.slice(0, limit),
  };
}
