// Stored telemetry as the health model's input: per site, the hosts its own
// data source reported, with the site's threshold; sources past their deadline
// contribute nothing and say why. Pure: the read path and the telemetry tick
// (which compares what changed before it writes) build inputs the same way.
import type { SiteTelemetryInput, TelemetryHostInput } from "@/lib/health/types";
import { resolveThreshold, type ThresholdChain } from "@/lib/thresholds/chain";
import { LATEST_WINDOW_MS, LOOKBACK_MS } from "./queries";
import { sourceFor } from "./site-source";
import { type SourceCurrency, sourceCurrency } from "./tick/currency";
import type { NodeReading, SourceTickStatus } from "./tick/types";
import type { TelemetryStatus } from "./types";

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
  /** the data source each site reads (whether or not its telemetry is current) */
  sourceBySite: Map<string, string>;
  status: TelemetryStatus;
}

export interface SourceRef {
  id: string;
  name: string;
  isDefault: boolean;
}

function iso(t: number | null): string | null {
  return t === null ? null : new Date(t).toISOString();
}

export function toHostInput(n: NodeReading, now: number, warnCelsius: number): TelemetryHostInput {
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

function statusOf(currencies: SourceCurrency[], names: Map<string, string>, now: number): TelemetryStatus {
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
    ageMs: asOf === null ? null : Math.max(0, now - asOf),
  };
}

export function buildSiteTelemetry(args: {
  sites: readonly SiteRef[];
  sources: readonly SourceRef[];
  statuses: readonly SourceTickStatus[];
  /** stored hosts; any source, any site (others are ignored) */
  nodes: readonly NodeReading[];
  now: number;
  tickMs: number;
  /** the threshold chain: "hot" per site, cluster and node */
  chain: ThresholdChain;
}): FleetTelemetry {
  const { sites, sources, now } = args;
  const bySite = new Map<string, SiteTelemetryInput>();
  const sourceBySite = new Map<string, string>();
  if (sources.length === 0) {
    return {
      bySite,
      sourceBySite,
      status: { state: "unavailable", reason: "not-configured", message: "no data source configured" },
    };
  }
  const used = new Set<string>();
  for (const s of sites) {
    const source = sourceFor(sources, s);
    if (!source) continue;
    used.add(source.id);
    sourceBySite.set(s.id, source.id);
  }
  if (used.size === 0) {
    const def = sourceFor(sources, { dataSourceId: null });
    if (def) used.add(def.id);
  }
  const currencies: SourceCurrency[] = [];
  const current = new Set<string>();
  for (const id of used) {
    const c = sourceCurrency(args.statuses.find((st) => st.sourceId === id) ?? null, now, args.tickMs, id);
    currencies.push(c);
    if (c.isCurrent) current.add(id);
  }
  const { chain } = args;
  const siteById = new Map(sites.map((s) => [s.id, s]));
  for (const s of sites) {
    const id = sourceBySite.get(s.id);
    if (id === undefined || !current.has(id)) continue;
    bySite.set(s.id, {
      warnCelsius: resolveThreshold(chain, { kind: s.kind, siteId: s.id }).celsius,
      isExpected: s.dataSourceId !== null,
      lookbackMs: LOOKBACK_MS,
      hosts: [],
    });
  }
  for (const n of args.nodes) {
    // A site reading another source is judged by that one only.
    if (n.siteId === null || sourceBySite.get(n.siteId) !== n.sourceId) continue;
    const input = bySite.get(n.siteId);
    if (!input) continue;
    // The host's own level: a cluster or node override of the chain, else the site's.
    const level = resolveThreshold(chain, {
      kind: siteById.get(n.siteId)?.kind ?? "",
      siteId: n.siteId,
      clusterId: n.clusterId,
      node: n.host,
    }).celsius;
    input.hosts.push(toHostInput(n, now, level));
  }
  const names = new Map(sources.map((r) => [r.id, r.name]));
  return { bySite, sourceBySite, status: statusOf(currencies, names, now) };
}
