import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { DataSource } from "@/lib/generated/prisma/client";
import { isHot } from "@/lib/health/hot";
import type { SiteTelemetryInput, TelemetryHostInput } from "@/lib/health/types";
import { type InfluxSeries, influxQuery, type Unavailable } from "@/lib/influx/client";
import {
  describeSource,
  type EffectiveThreshold,
  resolveThreshold,
  type ThresholdChain,
} from "@/lib/thresholds/chain";
import { thresholdChain } from "@/lib/thresholds/store";
import { loadDataSourceRows, nodeIndex, parseMapping, targetFor } from "./data-sources";
import { chooseInterval } from "./interval";
import {
  connectivityChart,
  LATEST_WINDOW_MS,
  LOOKBACK_MS,
  type Scope,
  temperatureChart,
  turbineChart,
} from "./queries";
import { type Mapping, RANGE_MS, type SiteTelemetryQuery } from "./schemas";
import { sourceFor } from "./site-source";
import { type SourceCurrency, sourceCurrency } from "./tick/currency";
import { CLOCK_TOLERANCE_MS } from "./tick/plan";
import { loadAllNodes, loadNodesOfSites, loadStatus, loadStatuses } from "./tick/store";
import type { NodeLatest } from "./tick/types";
import type {
  ChartThresholdLevel,
  HotNode,
  HottestNodes,
  LinkBand,
  SeriesPoint,
  SiteTelemetry,
  TelemetrySeries,
  TelemetryStatus,
  TelemetryUnavailable,
  TurbineMetric,
} from "./types";

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

function toTelemetryUnavailable(u: Unavailable): TelemetryUnavailable {
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

// ---------------------------------------------------------------------------
// Site charts

const TURBINE_UNITS: Record<string, { label: string; unit: string }> = {
  power_kw: { label: "Power", unit: "kW" },
  rotor_rpm: { label: "Rotor speed", unit: "rpm" },
  generator_rpm: { label: "Generator speed", unit: "rpm" },
  pitch_deg: { label: "Blade pitch", unit: "°" },
  yaw_deg: { label: "Yaw", unit: "°" },
  wind_speed_ms: { label: "Wind speed", unit: "m/s" },
  nacelle_temp_c: { label: "Nacelle temperature", unit: "°C" },
};

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function columnIndex(s: InfluxSeries): Map<string, number> {
  return new Map(s.columns.map((c, i) => [c, i]));
}

function pointsOf(s: InfluxSeries, cols: { min?: string; mean: string; max?: string }): SeriesPoint[] {
  const idx = columnIndex(s);
  const at = (row: unknown[], name: string | undefined) =>
    name === undefined ? undefined : num(row[idx.get(name) ?? -1]);
  const out: SeriesPoint[] = [];
  for (const row of s.values) {
    const t = num(row[0]);
    if (t === null) continue;
    const p: SeriesPoint = { t, mean: at(row, cols.mean) ?? null };
    if (cols.min) p.min = at(row, cols.min) ?? null;
    if (cols.max) p.max = at(row, cols.max) ?? null;
    // A bucket where this field has no value is a gap for this series, not a zero.
    if (p.mean === null && (p.min ?? null) === null && (p.max ?? null) === null) continue;
    out.push(p);
  }
  return out;
}

function linkBands(s: InfluxSeries, intervalMs: number): LinkBand[] {
  const idx = columnIndex(s);
  const bands: LinkBand[] = [];
  for (const row of s.values) {
    const t = num(row[0]);
    const lossMin = num(row[idx.get("loss_min") ?? -1]);
    const lossMax = num(row[idx.get("loss_max") ?? -1]);
    if (t === null || lossMax === null || lossMax < 100) continue;
    const state = lossMin !== null && lossMin >= 100 ? "down" : "degraded";
    const last = bands.at(-1);
    if (last && last.state === state && last.to === t) last.to = t + intervalMs;
    else bands.push({ from: t, to: t + intervalMs, state });
  }
  return bands;
}

function hostOf(m: Mapping, s: InfluxSeries): string {
  return s.tags[m.hostTag] ?? "?";
}

/**
 * The threshold lines of a site's temperature chart: beside the site's
 * effective level, each host whose own level (cluster or node override) differs.
 */
export async function chartThresholds(
  site: { id: string; kind: string },
  siteLevel: EffectiveThreshold,
  hosts: readonly string[],
  clusterOf: ReadonlyMap<string, string>,
  now = Date.now(),
): Promise<Record<string, ChartThresholdLevel>> {
  const chain = await thresholdChain(now);
  const out: Record<string, ChartThresholdLevel> = {};
  for (const host of hosts) {
    const own = resolveThreshold(chain, {
      kind: site.kind,
      siteId: site.id,
      clusterId: clusterOf.get(host) ?? null,
      node: host,
    });
    if (own.celsius !== siteLevel.celsius || own.source.level !== siteLevel.source.level)
      out[host] = { celsius: own.celsius, source: describeSource(own.source, "site") };
  }
  return out;
}

export interface SiteTelemetryOptions {
  now?: number;
  preferredUnit?: "C" | "F";
}

/** Chart data for one site in ONE request: temperature, connectivity and turbine buckets per host. */
export async function siteTelemetry(
  idOrSlug: string,
  q: SiteTelemetryQuery,
  options: SiteTelemetryOptions = {},
): Promise<SiteTelemetry> {
  const now = options.now ?? Date.now();
  const site = await db().site.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    select: { id: true, slug: true, name: true, kind: true, dataSourceId: true },
  });
  if (!site) throw new AppError("not_found", "Site not found");
  const siteThreshold = resolveThreshold(await thresholdChain(now), { kind: site.kind, siteId: site.id });
  const rows = await loadDataSourceRows();
  const row = sourceFor(rows, site);
  const m = row ? parseMapping(row.mapping) : null;
  const rangeMs = q.range === "custom" ? (q.to ?? now) - (q.from ?? now) : RANGE_MS[q.range];
  const intervalMs = chooseInterval(rangeMs, q.width, m?.sampleSeconds ?? 10);
  // Relative ranges end at the next bucket edge, so every viewer within one bucket asks the identical (cached) query.
  const to = q.range === "custom" ? (q.to ?? now) : Math.ceil(now / intervalMs) * intervalMs;
  const from = q.range === "custom" ? (q.from ?? now) : to - rangeMs;
  const out: SiteTelemetry = {
    siteId: site.id,
    slug: site.slug,
    name: site.name,
    range: q.range,
    from,
    to,
    intervalMs,
    thresholdCelsius: siteThreshold.celsius,
    threshold: { celsius: siteThreshold.celsius, source: describeSource(siteThreshold.source, "site") },
    hostThresholds: {},
    preferredUnit: options.preferredUnit ?? "C",
    dataSource: row ? { id: row.id, name: row.name } : null,
    unavailable: null,
    temperature: [],
    connectivity: { rtt: [], loss: [], bands: [] },
    turbine: [],
    clocks: [],
    pointCount: 0,
    queryMs: 0,
  };
  if (!row || !m) {
    out.unavailable = { reason: "not-configured", message: "no data source configured" };
    return out;
  }
  // The tick already knows whether InfluxDB answers: do not make a page wait to learn it again.
  const [tickStatus, nodes] = await Promise.all([loadStatus(row.id), loadNodesOfSites([site.id])]);
  const currency = sourceCurrency(tickStatus, now, telemetryTickMs(), row.id);
  out.clocks = nodes
    .filter((n) => n.sourceId === row.id && n.skewMs !== null)
    .map((n) => ({ host: n.host, skewMs: n.skewMs as number }))
    .sort((a, b) => a.host.localeCompare(b.host, "en", { numeric: true }));
  if (!currency.isCurrent && currency.reason !== "stale") {
    out.unavailable = { reason: currency.reason, message: currency.message };
    return out;
  }
  let scope: Scope;
  if (m.join === "tags") {
    scope = { kind: "tag", tag: m.siteTag, values: [m.siteValue === "slug" ? site.slug : site.name] };
  } else {
    const index = await nodeIndex(now);
    const hosts = [...index].filter(([, home]) => home.siteId === site.id).map(([host]) => host);
    if (hosts.length === 0) return out;
    scope = { kind: "hosts", hosts };
  }
  // Points dated beyond a small tolerance come from a wrong clock: never drawn as "now".
  const until = Math.min(to, now + CLOCK_TOLERANCE_MS);
  const rp = row.retentionPolicy;
  const statements: string[] = [temperatureChart(m, rp, scope, from, until, intervalMs)];
  const pingQ = connectivityChart(m, rp, scope, from, until, intervalMs);
  const turbineQ = turbineChart(m, rp, scope, from, until, intervalMs);
  if (pingQ) statements.push(pingQ);
  if (turbineQ) statements.push(turbineQ);
  const target = targetFor(row);
  const result = await influxQuery(
    { ...target, timeoutMs: Math.min(target.timeoutMs, CHART_DEADLINE_MS) },
    statements,
    {
      now,
    },
  );
  if (!result.ok) {
    out.unavailable = toTelemetryUnavailable(result);
    return out;
  }
  out.queryMs = result.elapsedMs;
  let i = 0;
  const tempSeries = result.statements[i++] ?? [];
  const sensorTag = m.temperature.sensorTag;
  const sensorsPerHost = new Map<string, number>();
  for (const s of tempSeries) sensorsPerHost.set(hostOf(m, s), (sensorsPerHost.get(hostOf(m, s)) ?? 0) + 1);
  for (const s of tempSeries) {
    const host = hostOf(m, s);
    const sensor = sensorTag ? s.tags[sensorTag] : undefined;
    const isMulti = (sensorsPerHost.get(host) ?? 0) > 1 && sensor;
    out.temperature.push({
      id: isMulti ? `${host}/${sensor}` : host,
      label: isMulti ? `${host} (${sensor})` : host,
      unit: "°C",
      points: pointsOf(s, { min: "min", mean: "mean", max: "max" }),
    });
  }
  if (pingQ) {
    for (const s of result.statements[i++] ?? []) {
      const host = hostOf(m, s);
      out.connectivity.rtt.push({
        id: host,
        label: host,
        unit: "ms",
        points: pointsOf(s, { min: "rtt_min", mean: "rtt", max: "rtt_max" }),
      });
      out.connectivity.loss.push({
        id: host,
        label: host,
        unit: "%",
        points: pointsOf(s, { min: "loss_min", mean: "loss", max: "loss_max" }),
      });
      out.connectivity.bands.push({ host, bands: linkBands(s, intervalMs) });
    }
  }
  if (turbineQ && m.turbine) {
    const series = result.statements[i++] ?? [];
    out.turbine = m.turbine.fields
      .map((field, f): TurbineMetric => {
        const meta = TURBINE_UNITS[field] ?? { label: field, unit: "" };
        return {
          field,
          label: meta.label,
          unit: meta.unit,
          series: series
            .map((s) => ({
              id: hostOf(m, s),
              label: hostOf(m, s),
              unit: meta.unit,
              points: pointsOf(s, { min: `n${f}`, mean: `m${f}`, max: `x${f}` }),
            }))
            .filter((s) => s.points.length > 0),
        };
      })
      .filter((metric) => metric.series.length > 0);
  }
  if (out.temperature.length > 0) {
    const hosts = [...new Set(tempSeries.map((s) => hostOf(m, s)))];
    const clusterOf = new Map(
      nodes.filter((n) => n.clusterId !== null).map((n) => [n.host, n.clusterId as string]),
    );
    out.hostThresholds = await chartThresholds(site, siteThreshold, hosts, clusterOf, now);
  }
  const byName = (a: TelemetrySeries, b: TelemetrySeries) =>
    a.label.localeCompare(b.label, "en", { numeric: true });
  out.temperature.sort(byName);
  out.connectivity.rtt.sort(byName);
  out.connectivity.loss.sort(byName);
  out.connectivity.bands.sort((a, b) => a.host.localeCompare(b.host, "en", { numeric: true }));
  const count = (list: TelemetrySeries[]) => list.reduce((n, s) => n + s.points.length, 0);
  out.pointCount =
    count(out.temperature) +
    count(out.connectivity.rtt) +
    count(out.connectivity.loss) +
    out.turbine.reduce((n, t) => n + count(t.series), 0);
  return out;
}
