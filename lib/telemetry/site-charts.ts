import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { DataSource } from "@/lib/generated/prisma/client";
import { type InfluxSeries, influxQuery } from "@/lib/influx/client";
import { describeSource, resolveThreshold, type ThresholdChain } from "@/lib/thresholds/chain";
import { thresholdChain } from "@/lib/thresholds/store";
import { loadDataSourceRows, nodeIndex, parseMapping, targetFor } from "./data-sources";
import { chooseInterval } from "./interval";
import { linkRuns, type PingBucket } from "./link-state";
import { type BucketValue, type MatrixInput, type NodeMatrix, spread, toMatrix } from "./matrix";
import {
  connectivityChart,
  LATEST_WINDOW_MS,
  latestFieldStatement,
  type Scope,
  temperatureChart,
  turbineChart,
} from "./queries";
import { CHART_DEADLINE_MS, sourceFor, telemetryTickMs } from "./read";
import { type Mapping, RANGE_MS, type SiteTelemetryQuery } from "./schemas";
import {
  type ConnectivityChartData,
  type EffectiveThreshold,
  type LatestMetricData,
  LINE_CHART_MAX_NODES,
  type LineSelection,
  type SiteChartData,
  type SiteViewData,
  type TemperatureChartData,
  type TurbineChartData,
  type TurbineField,
} from "./site-chart-types";
import { sourceCurrency } from "./tick/currency";
import { CLOCK_TOLERANCE_MS } from "./tick/plan";
import { loadNodesOfSites, loadStatus } from "./tick/store";
import type { SeriesPoint, TelemetrySeries } from "./types";

// The site page's charts, one view per request (what is on screen, nothing
// else): temperature as a node × time matrix plus lines for a few nodes,
// connectivity as up/lossy/down runs per node plus RTT lines on demand, one
// turbine metric at a time. InfluxDB trouble answers `unavailable`, never throws.

const TURBINE_UNITS: Record<string, { label: string; unit: string }> = {
  power_kw: { label: "Power", unit: "kW" },
  rotor_rpm: { label: "Rotor speed", unit: "rpm" },
  generator_rpm: { label: "Generator speed", unit: "rpm" },
  pitch_deg: { label: "Blade pitch", unit: "°" },
  yaw_deg: { label: "Yaw", unit: "°" },
  wind_speed_ms: { label: "Wind speed", unit: "m/s" },
  nacelle_temp_c: { label: "Nacelle temperature", unit: "°C" },
};

export function turbineField(field: string): TurbineField {
  const meta = TURBINE_UNITS[field] ?? { label: field, unit: "" };
  return { field, ...meta };
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function columnIndex(s: InfluxSeries): Map<string, number> {
  return new Map(s.columns.map((c, i) => [c, i]));
}

/** min/mean/max columns of a bucketed series as chart points; an all-null bucket is a gap, not a zero. */
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
    if (p.mean === null && (p.min ?? null) === null && (p.max ?? null) === null) continue;
    out.push(p);
  }
  return out;
}

function valuesOf(s: InfluxSeries, column: string): BucketValue[] {
  const i = columnIndex(s).get(column) ?? -1;
  const out: BucketValue[] = [];
  for (const row of s.values) {
    const t = num(row[0]);
    if (t !== null) out.push({ t, value: num(row[i]) });
  }
  return out;
}

function hostOf(m: Mapping, s: InfluxSeries): string {
  return s.tags[m.hostTag] ?? "?";
}

const byName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/**
 * The limits the charts draw: the site's effective level of the threshold chain
 * (lib/thresholds), and each node whose own level (cluster or node override)
 * differs. ONE place for every chart of the site page.
 */
export function chartThresholds(
  chain: ThresholdChain,
  site: { id: string; kind: string },
  hosts: readonly string[],
  clusterOf: ReadonlyMap<string, string>,
): { site: EffectiveThreshold; hosts: Record<string, EffectiveThreshold> } {
  const level = resolveThreshold(chain, { kind: site.kind, siteId: site.id });
  const out: Record<string, EffectiveThreshold> = {};
  for (const host of hosts) {
    const own = resolveThreshold(chain, {
      kind: site.kind,
      siteId: site.id,
      clusterId: clusterOf.get(host) ?? null,
      node: host,
    });
    if (own.celsius !== level.celsius || own.source.level !== level.source.level)
      out[host] = { celsius: own.celsius, source: describeSource(own.source, "site") };
  }
  return { site: { celsius: level.celsius, source: describeSource(level.source, "site") }, hosts: out };
}

type Thresholds = ReturnType<typeof chartThresholds>;

export interface SiteChartOptions {
  now?: number;
  /** may still be read from the database: it is awaited beside the site's own reads, not before them */
  preferredUnit?: "C" | "F" | Promise<"C" | "F">;
}

type Base = Omit<
  TemperatureChartData,
  "view" | "threshold" | "hostThresholds" | "matrix" | "spread" | "lines" | "lineSelection"
>;

const emptyMatrix = (from: number, to: number, intervalMs: number): NodeMatrix =>
  toMatrix([], from, to, intervalMs);

/** Which nodes get lines: every node of a small site, otherwise only those asked for. */
function lineHosts(
  all: readonly string[],
  asked: readonly string[] | undefined,
): { hosts: Set<string>; selection: LineSelection } {
  if (all.length <= LINE_CHART_MAX_NODES && (asked === undefined || asked.length === 0))
    return { hosts: new Set(all), selection: "all" };
  return { hosts: new Set(asked ?? []), selection: "selected" };
}

type SiteRow = {
  id: string;
  slug: string;
  name: string;
  kind: string;
  dataSourceId: string | null;
};

async function loadSite(idOrSlug: string): Promise<SiteRow> {
  const site = await db().site.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    select: { id: true, slug: true, name: true, kind: true, dataSourceId: true },
  });
  if (!site) throw new AppError("not_found", "Site not found");
  return site;
}

/** Which points are the site's: by its tag, or by the hosts the collector saw there. */
async function scopeOf(m: Mapping, site: SiteRow, now: number): Promise<Scope | null> {
  if (m.join === "tags")
    return { kind: "tag", tag: m.siteTag, values: [m.siteValue === "slug" ? site.slug : site.name] };
  const index = await nodeIndex(now);
  const hosts = [...index].filter(([, home]) => home.siteId === site.id).map(([host]) => host);
  return hosts.length === 0 ? null : { kind: "hosts", hosts };
}

/** One view of one site, in ONE InfluxDB request: a chart, or the latest key metric per node. */
export async function siteChart(
  idOrSlug: string,
  q: SiteTelemetryQuery,
  options: SiteChartOptions = {},
): Promise<SiteViewData> {
  if (q.view === "latest") {
    // Drawn in no unit: a unit read still running must not end as an unhandled rejection.
    Promise.resolve(options.preferredUnit).catch(() => {});
    return latestMetric(idOrSlug, options.now ?? Date.now());
  }
  return rangeChart(idOrSlug, q, options);
}

async function rangeChart(
  idOrSlug: string,
  q: SiteTelemetryQuery,
  options: SiteChartOptions,
): Promise<SiteChartData> {
  const now = options.now ?? Date.now();
  // Every read that does not depend on another starts at once: on a busy server each round trip
  // awaited in a row adds its own wait, and the page (or its streamed first view) waits for all.
  const [site, chain, rows, unit] = await Promise.all([
    loadSite(idOrSlug),
    thresholdChain(now),
    loadDataSourceRows(),
    options.preferredUnit ?? "C",
  ]);
  const row = sourceFor(rows, site);
  const m = row ? parseMapping(row.mapping) : null;
  const rangeMs = q.range === "custom" ? (q.to ?? now) - (q.from ?? now) : RANGE_MS[q.range];
  const intervalMs = chooseInterval(rangeMs, q.width, m?.sampleSeconds ?? 10);
  // Relative ranges end at the next bucket edge, so every viewer within one bucket asks the identical (cached) query.
  const to = q.range === "custom" ? (q.to ?? now) : Math.ceil(now / intervalMs) * intervalMs;
  const from = q.range === "custom" ? (q.from ?? now) : to - rangeMs;
  const base: Base = {
    siteId: site.id,
    slug: site.slug,
    name: site.name,
    range: q.range,
    from,
    to,
    intervalMs,
    preferredUnit: unit,
    dataSource: row ? { id: row.id, name: row.name } : null,
    unavailable: null,
    nodeCount: 0,
    pointCount: 0,
    queryMs: 0,
    clocks: [],
  };
  const empty = (): SiteChartData => {
    if (q.view === "connectivity")
      return { ...base, view: "connectivity", timeline: [], rtt: q.rtt ? [] : null };
    if (q.view === "turbine") {
      const fields = (m?.turbine?.fields ?? []).map(turbineField);
      return {
        ...base,
        view: "turbine",
        fields,
        field: null,
        matrix: emptyMatrix(from, to, intervalMs),
        spread: [],
        lines: [],
        lineSelection: "selected",
      };
    }
    const th = chartThresholds(chain, site, [], new Map());
    return {
      ...base,
      view: "temperature",
      threshold: th.site,
      hostThresholds: th.hosts,
      matrix: emptyMatrix(from, to, intervalMs),
      spread: [],
      lines: [],
      lineSelection: "selected",
    };
  };
  if (!row || !m) {
    base.unavailable = { reason: "not-configured", message: "no data source configured" };
    return empty();
  }
  // The tick already knows whether InfluxDB answers: do not make a page wait to learn it again.
  // A temperature view without picked nodes also needs the site's node count (lines or heatmap).
  const needsCount = q.view === "temperature" && (q.hosts?.length ?? 0) === 0;
  const [tickStatus, nodes, nodeCount] = await Promise.all([
    loadStatus(row.id),
    loadNodesOfSites([site.id]),
    needsCount ? siteNodeCount(site.id) : 0,
  ]);
  base.clocks = nodes
    .filter((n) => n.sourceId === row.id && n.skewMs !== null)
    .map((n) => ({ host: n.host, skewMs: n.skewMs as number }))
    .sort((a, b) => byName(a.host, b.host));
  const currency = sourceCurrency(tickStatus, now, telemetryTickMs(), row.id);
  if (!currency.isCurrent && currency.reason !== "stale") {
    base.unavailable = { reason: currency.reason, message: currency.message };
    return empty();
  }
  const scope = await scopeOf(m, site, now);
  if (!scope) return empty();
  const rp = row.retentionPolicy;
  // Points dated beyond a small tolerance come from a wrong clock: never drawn as "now".
  const until = Math.min(to, now + CLOCK_TOLERANCE_MS);
  let statement: string | null;
  let field: TurbineField | null = null;
  let hasLines = true;
  if (q.view === "connectivity") statement = connectivityChart(m, rp, scope, from, until, intervalMs);
  else if (q.view === "turbine") {
    const fields = m.turbine?.fields ?? [];
    const chosen = q.field ?? fields[0];
    if (chosen !== undefined && !fields.includes(chosen))
      throw new AppError("validation_failed", "Invalid query", {
        issues: [
          { path: "field", message: `one of this data source's turbine metrics: ${fields.join(", ")}` },
        ],
      });
    field = chosen === undefined ? null : turbineField(chosen);
    statement = chosen === undefined ? null : turbineChart(m, rp, scope, from, until, intervalMs, [chosen]);
  } else {
    // A farm with no node picked needs only each bucket's highest reading (the heatmap and the spread).
    hasLines = !needsCount || nodeCount <= LINE_CHART_MAX_NODES;
    statement = temperatureChart(m, rp, scope, from, until, intervalMs, hasLines ? "all" : "max");
  }
  if (!statement) return empty();
  const result = await influxQuery(deadlined(row), [statement], { now });
  if (!result.ok) {
    base.unavailable = { reason: result.reason, message: result.message };
    return empty();
  }
  base.queryMs = result.elapsedMs;
  const series = result.statements[0] ?? [];
  if (q.view === "connectivity") return connectivityView(base, m, series, q);
  if (q.view === "turbine") return turbineView(base, m, series, q, field);
  const clusterOf = new Map(
    nodes.filter((n) => n.clusterId !== null).map((n) => [n.host, n.clusterId as string]),
  );
  return temperatureView(
    base,
    m,
    series,
    q,
    (hosts) => chartThresholds(chain, site, hosts, clusterOf),
    hasLines,
  );
}

function temperatureView(
  base: Base,
  m: Mapping,
  series: InfluxSeries[],
  q: SiteTelemetryQuery,
  thresholdsOf: (hosts: readonly string[]) => Thresholds,
  /** false: only max was asked for, so no lines can be drawn */
  hasLines: boolean,
): TemperatureChartData {
  const sensorTag = m.temperature.sensorTag;
  const sensorsPerHost = new Map<string, number>();
  for (const s of series) sensorsPerHost.set(hostOf(m, s), (sensorsPerHost.get(hostOf(m, s)) ?? 0) + 1);
  const hosts = [...sensorsPerHost.keys()].sort(byName);
  const inputs: MatrixInput[] = [];
  const lines: TelemetrySeries[] = [];
  const chosen = hasLines
    ? lineHosts(hosts, q.hosts)
    : { hosts: new Set<string>(), selection: "selected" as const };
  for (const s of series) {
    const host = hostOf(m, s);
    // The bucket's highest reading: a spike shows in the heatmap whatever the bucket size.
    inputs.push({ row: host, label: host, values: valuesOf(s, "max") });
    if (!chosen.hosts.has(host)) continue;
    const sensor = sensorTag ? s.tags[sensorTag] : undefined;
    const isMulti = (sensorsPerHost.get(host) ?? 0) > 1 && sensor;
    lines.push({
      id: isMulti ? `${host}/${sensor}` : host,
      label: isMulti ? `${host} (${sensor})` : host,
      unit: "°C",
      points: pointsOf(s, { min: "min", mean: "mean", max: "max" }),
    });
  }
  inputs.sort((a, b) => byName(a.row, b.row));
  lines.sort((a, b) => byName(a.label, b.label));
  const matrix = toMatrix(inputs, base.from, base.to, base.intervalMs);
  const th = thresholdsOf(hosts);
  return {
    ...base,
    view: "temperature",
    nodeCount: matrix.rows.length,
    pointCount: countCells(matrix) + lines.reduce((n, l) => n + l.points.length, 0),
    threshold: th.site,
    hostThresholds: th.hosts,
    matrix,
    spread: spread(matrix),
    lines,
    lineSelection: chosen.selection,
  };
}

function turbineView(
  base: Base,
  m: Mapping,
  series: InfluxSeries[],
  q: SiteTelemetryQuery,
  field: TurbineField | null,
): TurbineChartData {
  const fields = (m.turbine?.fields ?? []).map(turbineField);
  const hosts = series.map((s) => hostOf(m, s)).sort(byName);
  const chosen = lineHosts(hosts, q.hosts);
  const inputs: MatrixInput[] = [];
  const lines: TelemetrySeries[] = [];
  for (const s of series) {
    const host = hostOf(m, s);
    inputs.push({ row: host, label: host, values: valuesOf(s, "m0") });
    if (chosen.hosts.has(host))
      lines.push({
        id: host,
        label: host,
        unit: field?.unit ?? "",
        points: pointsOf(s, { min: "n0", mean: "m0", max: "x0" }),
      });
  }
  inputs.sort((a, b) => byName(a.row, b.row));
  lines.sort((a, b) => byName(a.label, b.label));
  const matrix = toMatrix(inputs, base.from, base.to, base.intervalMs);
  matrix.rows = matrix.rows.filter((r) => r.cells.some((c) => c !== null));
  return {
    ...base,
    view: "turbine",
    nodeCount: matrix.rows.length,
    pointCount: countCells(matrix) + lines.reduce((n, l) => n + l.points.length, 0),
    fields,
    field: matrix.rows.length > 0 ? field : null,
    matrix,
    spread: spread(matrix),
    lines,
    lineSelection: chosen.selection,
  };
}

function connectivityView(
  base: Base,
  m: Mapping,
  series: InfluxSeries[],
  q: SiteTelemetryQuery,
): ConnectivityChartData {
  const timeline = series
    .map((s) => {
      const idx = columnIndex(s);
      const col = (row: unknown[], name: string) => num(row[idx.get(name) ?? -1]);
      const buckets: PingBucket[] = [];
      for (const row of s.values) {
        const t = num(row[0]);
        if (t === null) continue;
        buckets.push({
          t,
          lossMin: col(row, "loss_min"),
          lossMean: col(row, "loss"),
          lossMax: col(row, "loss_max"),
          rttMean: col(row, "rtt"),
        });
      }
      return { host: hostOf(m, s), ...linkRuns(buckets, base.intervalMs) };
    })
    .sort((a, b) => byName(a.host, b.host));
  let rtt: TelemetrySeries[] | null = null;
  if (q.rtt) {
    const wanted = q.hosts && q.hosts.length > 0 ? new Set(q.hosts) : null;
    rtt = series
      .filter((s) => wanted === null || wanted.has(hostOf(m, s)))
      .map((s) => ({
        id: hostOf(m, s),
        label: hostOf(m, s),
        unit: "ms",
        points: pointsOf(s, { min: "rtt_min", mean: "rtt", max: "rtt_max" }),
      }))
      .sort((a, b) => byName(a.label, b.label));
  }
  return {
    ...base,
    view: "connectivity",
    nodeCount: timeline.length,
    pointCount:
      timeline.reduce((n, r) => n + r.runs.length, 0) + (rtt ?? []).reduce((n, l) => n + l.points.length, 0),
    timeline,
    rtt,
  };
}

/** Latest turbine key metric (the mapping's first turbine field) per node, for the health grid's tiles. */
async function latestMetric(idOrSlug: string, now: number): Promise<LatestMetricData> {
  const site = await loadSite(idOrSlug);
  const row = sourceFor(await loadDataSourceRows(), site);
  const m = row ? parseMapping(row.mapping) : null;
  const first = m?.turbine?.fields[0];
  const out: LatestMetricData = {
    view: "latest",
    siteId: site.id,
    slug: site.slug,
    field: first ? turbineField(first) : null,
    unavailable: null,
    hosts: [],
    windowMs: LATEST_WINDOW_MS,
    queryMs: 0,
  };
  if (!row || !m) {
    out.unavailable = { reason: "not-configured", message: "no data source configured" };
    return out;
  }
  const currency = sourceCurrency(await loadStatus(row.id), now, telemetryTickMs(), row.id);
  if (!currency.isCurrent && currency.reason !== "stale") {
    out.unavailable = { reason: currency.reason, message: currency.message };
    return out;
  }
  const scope = await scopeOf(m, site, now);
  if (!m.turbine || !first || !scope) return out;
  const statement = latestFieldStatement(
    m,
    row.retentionPolicy,
    m.turbine.measurement,
    first,
    LATEST_WINDOW_MS,
    scope,
  );
  const result = await influxQuery(deadlined(row), [statement], { now });
  if (!result.ok) {
    out.unavailable = { reason: result.reason, message: result.message };
    return out;
  }
  out.queryMs = result.elapsedMs;
  const clusters = await db().cluster.findMany({
    where: { siteId: site.id },
    select: { id: true, name: true },
  });
  const index = m.join === "host" ? await nodeIndex(now) : null;
  for (const s of result.statements[0] ?? []) {
    const cell = s.values[0];
    const t = num(cell?.[0]);
    const value = num(cell?.[1]);
    if (t === null || value === null) continue;
    const host = hostOf(m, s);
    const cluster = m.join === "tags" && m.clusterTag ? (s.tags[m.clusterTag] ?? null) : null;
    const clusterId = index
      ? (index.get(host)?.clusterId ?? null)
      : (clusters.find((c) => c.name === cluster)?.id ?? null);
    out.hosts.push({ host, cluster, clusterId, value, at: t });
  }
  out.hosts.sort((a, b) => byName(a.host, b.host));
  return out;
}

/** Nodes the collector saw at the site (from the stored summaries), to decide lines vs heatmap before asking. */
async function siteNodeCount(siteId: string): Promise<number> {
  const rows = await db().clusterStatus.findMany({
    where: { cluster: { siteId } },
    select: { summary: true },
  });
  let n = 0;
  for (const r of rows) {
    try {
      n += (JSON.parse(r.summary ?? "{}") as { nodeCount?: number }).nodeCount ?? 0;
    } catch {
      // an unreadable summary counts as no nodes
    }
  }
  return n;
}

/** A chart waits for InfluxDB at most CHART_DEADLINE_MS (or the source's own timeout, if shorter). */
function deadlined(row: DataSource) {
  const target = targetFor(row);
  return { ...target, timeoutMs: Math.min(target.timeoutMs, CHART_DEADLINE_MS) };
}

function countCells(matrix: NodeMatrix): number {
  let n = 0;
  for (const r of matrix.rows) for (const c of r.cells) if (c !== null) n++;
  return n;
}
