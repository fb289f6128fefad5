import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import type { DataSource } from "@/lib/generated/prisma/client";
import { isHot } from "@/lib/health/hot";
import type { SiteTelemetryInput, TelemetryHostInput } from "@/lib/health/types";
import type { Unavailable } from "@/lib/influx/client";
import { describeSource, resolveThreshold, type ThresholdChain } from "@/lib/thresholds/chain";
import { thresholdChain } from "@/lib/thresholds/store";
import { loadDataSourceRows } from "./data-sources";
import { LATEST_WINDOW_MS, LOOKBACK_MS } from "./queries";
import { sourceFor } from "./site-source";
import { type SourceCurrency, sourceCurrency } from "./tick/currency";
import { loadAllNodes, loadNodesOfSites, loadStatuses } from "./tick/store";
import type { NodeLatest } from "./tick/types";
import type { HotNode, HottestNodes, TelemetryStatus, TelemetryUnavailable } from "./types";

// The read path: the stored fleet-latest for health and the hottest list (the
// telemetry tick wrote it; nothing here waits on InfluxDB for a fleet view), and
// per-site charts on a short deadline. Every function answers "telemetry
// unavailable (reason)" instead of throwing when InfluxDB is missing, down,
// slow or refuses us.

/** A chart waits at most this long for InfluxDB (or the source's own timeout, if shorter). */
export const CHART_DEADLINE_MS = 5_000;

export { sourceFor };

export function telemetryTickMs(): number {
  return env().OUTPOST_TELEMETRY_TICK_SECONDS * 1000;
}

function _toTelemetryUnavailable(u: Unavailable): TelemetryUnavailable {
  return { reason: u.reason, message: u.message };
}

// ---------------------------------------------------------------------------
// Health join: what the telemetry tick stored, never a live InfluxDB query

export interface SiteRef {
  id: string;
  slug: string;
  name: string;
  kind: string;
  dataSourceId: string | null;
  clusters: { id: string; name: string }[];
}

export interface FleetTelemetry {
  bySite: Map<string, SiteTelemetryInput>;
  status: TelemetryStatus;
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

function toHostInput(n: NodeLatest, now: number, warnCelsius: number): TelemetryHostInput {
  // A reading older than the latest window is no reading: "hot" and charts stay on current points.
  const isRecent = n.tempAt !== null && now - n.tempAt <= LATEST_WINDOW_MS;
  const out: TelemetryHostInput = {
    host: n.host,
    clusterId: n.clusterId,
    lastPointAt: iso(n.lastPointAt),
    tempC: isRecent ? n.tempC : null,
    tempAt: isRecent ? iso(n.tempAt) : null,
    pingAt: iso(n.pingAt),
    lossPct: n.lossPct,
    warnCelsius,
  };
  if (n.skewMs !== null) out.clockSkewMs = n.skewMs;
  return out;
}

/** Above this many sites one read of every stored host beats an IN list. */
const ALL_NODES_ABOVE = 500;

async function storedNodes(siteIds: readonly string[]): Promise<NodeLatest[]> {
  return siteIds.length > ALL_NODES_ABOVE ? loadAllNodes() : loadNodesOfSites(siteIds);
}

function statusOf(currencies: SourceCurrency[], names: Map<string, string>): TelemetryStatus {
  // A source that fails says more than one that merely was not read lately.
  const failed =
    currencies.find((c) => !c.isCurrent && c.reason !== "stale") ?? currencies.find((c) => !c.isCurrent);
  if (failed && !failed.isCurrent) {
    const prefix = currencies.length > 1 ? `${names.get(failed.sourceId) ?? "data source"}: ` : "";
    return {
      state: "unavailable",
      reason: failed.reason,
      message: `${prefix}${failed.message}`,
      asOf: iso(failed.asOf),
    };
  }
  let asOf: number | null = null;
  let queryMs = 0;
  for (const c of currencies) {
    if (!c.isCurrent) continue;
    if (asOf === null || c.asOf < asOf) asOf = c.asOf;
    queryMs = Math.max(queryMs, c.queryMs);
  }
  return {
    state: "ok",
    dataSources: currencies.length,
    queryMs,
    asOf: iso(asOf),
    ageMs: asOf === null ? null : Math.max(0, currencies[0] ? currencies[0].now - asOf : 0),
  };
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
  const bySite = new Map<string, SiteTelemetryInput>();
  let rows: DataSource[];
  try {
    rows = await loadDataSourceRows();
  } catch {
    return {
      bySite,
      status: { state: "unavailable", reason: "not-configured", message: "data sources could not be read" },
    };
  }
  if (rows.length === 0) {
    return {
      bySite,
      status: { state: "unavailable", reason: "not-configured", message: "no data source configured" },
    };
  }
  const groups = new Map<string, { row: DataSource; sites: SiteRef[] }>();
  for (const s of sites) {
    const row = sourceFor(rows, s);
    if (!row) continue;
    const g = groups.get(row.id) ?? { row, sites: [] };
    g.sites.push(s);
    groups.set(row.id, g);
  }
  if (groups.size === 0) {
    const def = sourceFor(rows, { dataSourceId: null });
    if (def) groups.set(def.id, { row: def, sites: [] });
  }
  let chain: ThresholdChain;
  try {
    chain = await thresholdChain(now);
  } catch {
    return {
      bySite,
      status: { state: "unavailable", reason: "not-configured", message: "thresholds could not be read" },
    };
  }
  const [statuses, nodes] = await Promise.all([loadStatuses(), storedNodes(sites.map((s) => s.id))]);
  const tickMs = telemetryTickMs();
  const currencies: SourceCurrency[] = [];
  const currentSources = new Set<string>();
  for (const id of groups.keys()) {
    const c = sourceCurrency(statuses.find((st) => st.sourceId === id) ?? null, now, tickMs);
    currencies.push(c);
    if (c.isCurrent) currentSources.add(id);
  }
  const siteById = new Map(sites.map((s) => [s.id, s]));
  for (const [id, g] of groups) {
    if (!currentSources.has(id)) continue;
    for (const s of g.sites) {
      bySite.set(s.id, {
        warnCelsius: resolveThreshold(chain, { kind: s.kind, siteId: s.id }).celsius,
        isExpected: s.dataSourceId !== null,
        lookbackMs: LOOKBACK_MS,
        hosts: [],
      });
    }
  }
  for (const n of nodes) {
    if (n.siteId === null || !currentSources.has(n.sourceId)) continue;
    const input = bySite.get(n.siteId);
    // A site reading another source is judged by that one only.
    if (!input || groups.get(n.sourceId)?.sites.every((s) => s.id !== n.siteId)) continue;
    const site = siteById.get(n.siteId);
    const level = resolveThreshold(chain, {
      kind: site?.kind ?? "",
      siteId: n.siteId,
      clusterId: n.clusterId,
      node: n.host,
    }).celsius;
    input.hosts.push(toHostInput(n, now, level));
  }
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return { bySite, status: statusOf(currencies, names) };
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
    loadAllNodes(),
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
