import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { DataSource } from "@/lib/generated/prisma/client";
import { isHot, warnThreshold } from "@/lib/health/hot";
import type { SiteTelemetryInput, TelemetryHostInput } from "@/lib/health/types";
import {
  type InfluxSeries,
  type InfluxTarget,
  influxQuery,
  type Unavailable,
  unavailable,
} from "@/lib/influx/client";
import { loadDataSourceRows, nodeIndex, parseMapping, targetFor } from "./data-sources";
import { chooseInterval } from "./interval";
import {
  connectivityChart,
  LATEST_WINDOW_MS,
  LOOKBACK_MS,
  latestStatements,
  type Scope,
  temperatureChart,
  turbineChart,
} from "./queries";
import { type Mapping, RANGE_MS, type SiteTelemetryQuery } from "./schemas";
import type {
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

// The read path: fleet-latest for health and the hottest list, per-site charts.
// Every function here answers "telemetry unavailable (reason)" instead of
// throwing when InfluxDB is missing, down, slow or refuses us.

/** "Silent since" needs minute precision, not 5 s: the long lookback query is reused for this long. */
export const LOOKBACK_CACHE_MS = 60_000;
/** A fleet roll-up waits this long for InfluxDB, then uses the last answer (or says "timeout"). */
export const ROLLUP_BUDGET_MS = 1_500;
/** How old a previous fleet-latest answer may be and still stand in for a slow one. */
const LAST_GOOD_MAX_AGE_MS = 60_000;

export function defaultWarnCelsius(): number {
  return env().OUTPOST_TEMP_WARN_CELSIUS;
}

function toTelemetryUnavailable(u: Unavailable): TelemetryUnavailable {
  return { reason: u.reason, message: u.message };
}

// ---------------------------------------------------------------------------
// Fleet-latest

export interface LatestHost {
  site: string | null;
  cluster: string | null;
  host: string;
  tempC: number | null;
  tempAt: number | null;
  pingAt: number | null;
  lossPct: number | null;
  lastPointAt: number | null;
}

export type FleetLatest = { ok: true; hosts: LatestHost[]; queryMs: number; at: number } | Unavailable;

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** The single [time, v] row of a `last()` series. */
function lastRow(s: InfluxSeries): { t: number; v: number | null } | null {
  const row = s.values[0];
  const t = num(row?.[0]);
  return t === null ? null : { t, v: num(row?.[1]) };
}

function identity(
  m: Mapping,
  tags: Record<string, string>,
): { site: string | null; cluster: string | null; host: string } {
  return {
    site: m.join === "tags" ? (tags[m.siteTag] ?? null) : null,
    cluster: m.join === "tags" && m.clusterTag ? (tags[m.clusterTag] ?? null) : null,
    host: tags[m.hostTag] ?? "",
  };
}

function mergeLatest(
  m: Mapping,
  into: Map<string, LatestHost>,
  temp: InfluxSeries[],
  ping: InfluxSeries[],
  isRecent: boolean,
) {
  const entry = (tags: Record<string, string>): LatestHost => {
    const id = identity(m, tags);
    const key = `${id.site ?? ""}\u0000${id.cluster ?? ""}\u0000${id.host}`;
    let e = into.get(key);
    if (!e) {
      e = { ...id, tempC: null, tempAt: null, pingAt: null, lossPct: null, lastPointAt: null };
      into.set(key, e);
    }
    return e;
  };
  const seen = (e: LatestHost, t: number) => {
    if (e.lastPointAt === null || t > e.lastPointAt) e.lastPointAt = t;
  };
  for (const s of temp) {
    const row = lastRow(s);
    if (!row) continue;
    const e = entry(s.tags);
    seen(e, row.t);
    // Several sensors on one board: the hottest recent one speaks for the node.
    if (isRecent && row.v !== null && (e.tempC === null || row.v > e.tempC)) {
      e.tempC = row.v;
      e.tempAt = row.t;
    }
  }
  for (const s of ping) {
    const row = lastRow(s);
    if (!row) continue;
    const e = entry(s.tags);
    seen(e, row.t);
    if (e.pingAt === null || row.t > e.pingAt) {
      e.pingAt = row.t;
      e.lossPct = row.v;
    }
  }
}

/**
 * Latest temperature (and its time) and latest packet loss for every host the
 * source knows, in two requests whatever the fleet size: the last 15 min
 * (values) and the last 24 h (when each silent host last spoke).
 */
export async function fleetLatest(target: InfluxTarget, m: Mapping, now = Date.now()): Promise<FleetLatest> {
  const rp = target.retentionPolicy;
  const [recent, lookback] = await Promise.all([
    influxQuery(target, latestStatements(m, rp, LATEST_WINDOW_MS), { now }),
    influxQuery(target, latestStatements(m, rp, LOOKBACK_MS), { now, cacheMs: LOOKBACK_CACHE_MS }),
  ]);
  if (!recent.ok) return recent;
  const hosts = new Map<string, LatestHost>();
  // A failing lookback only loses "silent since" for hosts outside the recent window.
  if (lookback.ok) mergeLatest(m, hosts, lookback.statements[0] ?? [], lookback.statements[1] ?? [], false);
  mergeLatest(m, hosts, recent.statements[0] ?? [], recent.statements[1] ?? [], true);
  return {
    ok: true,
    hosts: [...hosts.values()].filter((h) => h.host !== ""),
    queryMs: Math.max(recent.elapsedMs, lookback.ok ? lookback.elapsedMs : 0),
    at: now,
  };
}

const globalLastGood = globalThis as unknown as {
  outpostTelemetryLastGood?: Map<string, FleetLatest & { ok: true }>;
};
if (!globalLastGood.outpostTelemetryLastGood) globalLastGood.outpostTelemetryLastGood = new Map();
const lastGood: Map<string, FleetLatest & { ok: true }> = globalLastGood.outpostTelemetryLastGood;

/**
 * fleetLatest within a time budget: a slow InfluxDB must not hold up the
 * fleet roll-up. The query keeps running and fills the cache for the next one.
 */
async function fleetLatestWithin(
  target: InfluxTarget,
  m: Mapping,
  now: number,
  budgetMs: number,
): Promise<FleetLatest> {
  const poolId = target.key.split("@")[0] ?? target.key;
  const pending = fleetLatest(target, m, now).then((r) => {
    if (r.ok) lastGood.set(poolId, r);
    return r;
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), budgetMs);
  });
  const first = await Promise.race([pending, late]);
  clearTimeout(timer);
  if (first) return first;
  const previous = lastGood.get(poolId);
  if (previous && now - previous.at <= LAST_GOOD_MAX_AGE_MS) return previous;
  return unavailable(
    "timeout",
    `InfluxDB did not answer within ${budgetMs / 1000} s; telemetry shows once it does`,
  );
}

// ---------------------------------------------------------------------------
// Health join

export interface SiteRef {
  id: string;
  slug: string;
  name: string;
  dataSourceId: string | null;
  tempWarnCelsius: number | null;
  clusters: { id: string; name: string }[];
}

export interface FleetTelemetry {
  bySite: Map<string, SiteTelemetryInput>;
  status: TelemetryStatus;
}

function sourceFor(rows: DataSource[], site: { dataSourceId: string | null }): DataSource | undefined {
  if (site.dataSourceId) {
    const own = rows.find((r) => r.id === site.dataSourceId);
    if (own) return own;
  }
  return rows.find((r) => r.isDefault) ?? rows[0];
}

function toHostInput(h: LatestHost, clusterId: string | null): TelemetryHostInput {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    host: h.host,
    clusterId,
    lastPointAt: iso(h.lastPointAt),
    tempC: h.tempC,
    tempAt: iso(h.tempAt),
    pingAt: iso(h.pingAt),
    lossPct: h.lossPct,
  };
}

/**
 * Telemetry inputs for the health model: ONE fleet-latest per data source in
 * use (normally one), joined to sites by tag or by host. A source that fails
 * leaves its sites without input (telemetry "unknown") and says why in `status`.
 */
export async function telemetryForSites(
  sites: readonly SiteRef[],
  options: { now?: number; budgetMs?: number } = {},
): Promise<FleetTelemetry> {
  const now = options.now ?? Date.now();
  const budgetMs = options.budgetMs ?? ROLLUP_BUDGET_MS;
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
  const warnDefault = defaultWarnCelsius();
  let failure: (TelemetryUnavailable & { source: string }) | null = null;
  let queryMs = 0;
  await Promise.all(
    [...groups.values()].map(async ({ row, sites: members }) => {
      const m = parseMapping(row.mapping);
      const latest = await fleetLatestWithin(targetFor(row), m, now, budgetMs);
      if (!latest.ok) {
        failure ??= { ...toTelemetryUnavailable(latest), source: row.name };
        return;
      }
      queryMs = Math.max(queryMs, latest.queryMs);
      const inputs = new Map<string, SiteTelemetryInput>();
      for (const s of members) {
        inputs.set(s.id, {
          warnCelsius: warnThreshold(s, warnDefault),
          isExpected: s.dataSourceId !== null,
          lookbackMs: LOOKBACK_MS,
          hosts: [],
        });
      }
      if (m.join === "tags") {
        const byKey = new Map<string, SiteRef>();
        for (const s of members) byKey.set(m.siteValue === "slug" ? s.slug : s.name, s);
        for (const h of latest.hosts) {
          const site = h.site === null ? undefined : byKey.get(h.site);
          if (!site) continue;
          const clusterId = site.clusters.find((c) => c.name === h.cluster)?.id ?? null;
          inputs.get(site.id)?.hosts.push(toHostInput(h, clusterId));
        }
      } else {
        const index = await nodeIndex(now);
        for (const h of latest.hosts) {
          const home = index.get(h.host);
          const input = home ? inputs.get(home.siteId) : undefined;
          input?.hosts.push(toHostInput(h, home?.clusterId ?? null));
        }
      }
      for (const [id, input] of inputs) bySite.set(id, input);
    }),
  );
  const failed = failure as (TelemetryUnavailable & { source: string }) | null;
  if (failed) {
    const prefix = groups.size > 1 ? `${failed.source}: ` : "";
    return {
      bySite,
      status: { state: "unavailable", reason: failed.reason, message: `${prefix}${failed.message}` },
    };
  }
  return { bySite, status: { state: "ok", dataSources: groups.size, queryMs } };
}

// ---------------------------------------------------------------------------
// Hottest nodes

/** Top-N hottest nodes of the whole fleet, from the same fleet-latest answer the roll-up uses. */
export async function hottestNodes(
  limit: number,
  now = Date.now(),
): Promise<Omit<HottestNodes, "preferredUnit">> {
  const generatedAt = new Date(now).toISOString();
  const rows = await loadDataSourceRows();
  if (rows.length === 0)
    return {
      generatedAt,
      unavailable: { reason: "not-configured", message: "no data source configured" },
      items: [],
    };
  const sites = await db().site.findMany({
    select: { id: true, slug: true, name: true, tempWarnCelsius: true, dataSourceId: true },
  });
  const warnDefault = defaultWarnCelsius();
  const items: HotNode[] = [];
  let problem: TelemetryUnavailable | null = null;
  // Only sources some site reads from (or the default): one query each.
  const used = new Set<string>();
  const def = rows.find((r) => r.isDefault) ?? rows[0];
  if (def) used.add(def.id);
  for (const s of sites) if (s.dataSourceId) used.add(s.dataSourceId);
  await Promise.all(
    rows
      .filter((r) => used.has(r.id))
      .map(async (row) => {
        const m = parseMapping(row.mapping);
        const latest = await fleetLatest(targetFor(row), m, now);
        if (!latest.ok) {
          problem ??= toTelemetryUnavailable(latest);
          return;
        }
        const bySlug = new Map(sites.map((s) => [m.siteValue === "slug" ? s.slug : s.name, s]));
        const byId = new Map(sites.map((s) => [s.id, s]));
        const index = m.join === "host" ? await nodeIndex(now) : null;
        for (const h of latest.hosts) {
          if (h.tempC === null || h.tempAt === null) continue;
          const site = index
            ? byId.get(index.get(h.host)?.siteId ?? "")
            : h.site === null
              ? undefined
              : bySlug.get(h.site);
          // A site reading another source is judged there, not here.
          if (site && (site.dataSourceId ?? def?.id) !== row.id) continue;
          const threshold = site ? warnThreshold(site, warnDefault) : warnDefault;
          items.push({
            host: h.host,
            cluster: h.cluster,
            site: site ? { id: site.id, slug: site.slug, name: site.name } : null,
            siteTag: h.site,
            tempC: h.tempC,
            at: new Date(h.tempAt).toISOString(),
            thresholdCelsius: threshold,
            isHot: isHot({ tempC: h.tempC, atMs: h.tempAt }, threshold, now),
          });
        }
      }),
  );
  items.sort((a, b) => b.tempC - a.tempC || a.host.localeCompare(b.host));
  return { generatedAt, unavailable: items.length === 0 ? problem : null, items: items.slice(0, limit) };
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
    select: { id: true, slug: true, name: true, dataSourceId: true, tempWarnCelsius: true },
  });
  if (!site) throw new AppError("not_found", "Site not found");
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
    thresholdCelsius: warnThreshold(site, defaultWarnCelsius()),
    preferredUnit: options.preferredUnit ?? "C",
    dataSource: row ? { id: row.id, name: row.name } : null,
    unavailable: null,
    temperature: [],
    connectivity: { rtt: [], loss: [], bands: [] },
    turbine: [],
    pointCount: 0,
    queryMs: 0,
  };
  if (!row || !m) {
    out.unavailable = { reason: "not-configured", message: "no data source configured" };
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
  const rp = row.retentionPolicy;
  const statements: string[] = [temperatureChart(m, rp, scope, from, to, intervalMs)];
  const pingQ = connectivityChart(m, rp, scope, from, to, intervalMs);
  const turbineQ = turbineChart(m, rp, scope, from, to, intervalMs);
  if (pingQ) statements.push(pingQ);
  if (turbineQ) statements.push(turbineQ);
  const result = await influxQuery(targetFor(row), statements, { now });
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
