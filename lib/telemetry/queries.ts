// InfluxQL for each view, built from a data source's mapping. Pure: strings
// in, strings out, every name and value through lib/influx/influxql. Each view
// is one request whatever the fleet size: GROUP BY tags, never one query per node.
import {
  durationLiteral,
  groupByTags,
  qualifiedMeasurement,
  quoteIdent,
  tagIn,
  timeMs,
} from "@/lib/influx/influxql";
import type { Mapping } from "./schemas";

/** Latest values: anything newer than this counts as "now" (late flushes land inside it too). */
export const LATEST_WINDOW_MS = 15 * 60_000;
/** How far back "silent since" is looked for; a sensor dead for longer is reported as silent for over this. */
export const LOOKBACK_MS = 24 * 3_600_000;

/** Which points belong to the view. */
export type Scope =
  | { kind: "fleet" }
  | { kind: "tag"; tag: string; values: string[] }
  | { kind: "hosts"; hosts: string[] };

function scopeClause(m: Mapping, scope: Scope): string | null {
  if (scope.kind === "fleet") return null;
  if (scope.kind === "tag") return tagIn(scope.tag, scope.values);
  return tagIn(m.hostTag, scope.hosts);
}

/** Tags that identify a host: site and cluster only when the points carry them. */
export function identityTags(m: Mapping): string[] {
  const tags: string[] = [];
  if (m.join === "tags") {
    tags.push(m.siteTag);
    if (m.clusterTag) tags.push(m.clusterTag);
  }
  tags.push(m.hostTag);
  return tags;
}

function where(parts: (string | null)[]): string {
  return parts.filter(Boolean).join(" AND ");
}

function recent(windowMs: number): string {
  return `time > now() - ${durationLiteral(windowMs)}`;
}

function between(fromMs: number, toMs: number): string {
  return `time >= ${timeMs(fromMs)} AND time < ${timeMs(toMs)}`;
}

/**
 * Latest temperature per host (and sensor), and latest packet loss per host,
 * for the whole fleet. A single selector per statement, so the row's time is
 * the point's own time (several selectors would all report the window start).
 */
export function latestStatements(
  m: Mapping,
  rp: string | null,
  windowMs: number,
  scope: Scope = { kind: "fleet" },
) {
  const t = m.temperature;
  const tempGroup = groupByTags([...identityTags(m), t.sensorTag]);
  const scoped = scopeClause(m, scope);
  const statements = [
    `SELECT last(${quoteIdent(t.field)}) AS "v" FROM ${qualifiedMeasurement(t.measurement, rp)} WHERE ${where([recent(windowMs), scoped])} GROUP BY ${tempGroup}`,
  ];
  const c = m.connectivity;
  if (c) {
    const field = c.lossField;
    statements.push(
      `SELECT last(${quoteIdent(field)}) AS "v" FROM ${qualifiedMeasurement(c.measurement, rp)} WHERE ${where([recent(windowMs), scoped])} GROUP BY ${groupByTags(identityTags(m))}`,
    );
  }
  return statements;
}

/** Latest value of one field per host within the window (the health grid's key metric, e.g. power). */
export function latestFieldStatement(
  m: Mapping,
  rp: string | null,
  measurement: string,
  field: string,
  windowMs: number,
  scope: Scope,
): string {
  return `SELECT last(${quoteIdent(field)}) AS "v" FROM ${qualifiedMeasurement(measurement, rp)} WHERE ${where([recent(windowMs), scopeClause(m, scope)])} GROUP BY ${groupByTags(identityTags(m))}`;
}

/** Temperature buckets per host and sensor: min/mean/max so a spike survives any bucket size. */
export function temperatureChart(
  m: Mapping,
  rp: string | null,
  scope: Scope,
  fromMs: number,
  toMs: number,
  intervalMs: number,
  /** "max": only the bucket's highest reading (a heatmap without lines needs nothing else) */
  columns: "all" | "max" = "all",
): string {
  const t = m.temperature;
  const f = quoteIdent(t.field);
  const select =
    columns === "max" ? `max(${f}) AS "max"` : `min(${f}) AS "min", mean(${f}) AS "mean", max(${f}) AS "max"`;
  return (
    `SELECT ${select} FROM ${qualifiedMeasurement(t.measurement, rp)}` +
    ` WHERE ${where([scopeClause(m, scope), between(fromMs, toMs)])}` +
    ` GROUP BY time(${durationLiteral(intervalMs)}), ${groupByTags([m.hostTag, t.sensorTag])} fill(none)`
  );
}

/** RTT and loss buckets per host; min(loss) = 100 means every probe in the bucket failed. */
export function connectivityChart(
  m: Mapping,
  rp: string | null,
  scope: Scope,
  fromMs: number,
  toMs: number,
  intervalMs: number,
): string | null {
  const c = m.connectivity;
  if (!c) return null;
  const rtt = quoteIdent(c.rttField);
  const loss = quoteIdent(c.lossField);
  return (
    `SELECT min(${rtt}) AS "rtt_min", mean(${rtt}) AS "rtt", max(${rtt}) AS "rtt_max",` +
    ` min(${loss}) AS "loss_min", mean(${loss}) AS "loss", max(${loss}) AS "loss_max"` +
    ` FROM ${qualifiedMeasurement(c.measurement, rp)}` +
    ` WHERE ${where([scopeClause(m, scope), between(fromMs, toMs)])}` +
    ` GROUP BY time(${durationLiteral(intervalMs)}), ${groupByTags([m.hostTag])} fill(none)`
  );
}

/** Turbine metrics per host; columns are aliased by position (`n0`, `m0`, `x0`) so any field name is safe. */
export function turbineChart(
  m: Mapping,
  rp: string | null,
  scope: Scope,
  fromMs: number,
  toMs: number,
  intervalMs: number,
  /** a subset of the mapping's fields (what is on screen); default all of them */
  only?: readonly string[],
): string | null {
  const tb = m.turbine;
  const fields = only ?? tb?.fields ?? [];
  if (!tb || fields.length === 0) return null;
  const cols = fields.flatMap((field, i) => {
    const f = quoteIdent(field);
    return [`min(${f}) AS "n${i}"`, `mean(${f}) AS "m${i}"`, `max(${f}) AS "x${i}"`];
  });
  return (
    `SELECT ${cols.join(", ")} FROM ${qualifiedMeasurement(tb.measurement, rp)}` +
    ` WHERE ${where([scopeClause(m, scope), between(fromMs, toMs)])}` +
    ` GROUP BY time(${durationLiteral(intervalMs)}), ${groupByTags([m.hostTag])} fill(none)`
  );
}

/** What the mapping finds in the last window: hosts with their site/cluster tags, per measurement. */
export function previewStatements(m: Mapping, rp: string | null, windowMs: number): string[] {
  const tags = groupByTags(identityTags(m));
  const out = [
    `SELECT last(${quoteIdent(m.temperature.field)}) AS "v" FROM ${qualifiedMeasurement(m.temperature.measurement, rp)} WHERE ${recent(windowMs)} GROUP BY ${tags}`,
  ];
  if (m.connectivity) {
    out.push(
      `SELECT last(${quoteIdent(m.connectivity.lossField)}) AS "v" FROM ${qualifiedMeasurement(m.connectivity.measurement, rp)} WHERE ${recent(windowMs)} GROUP BY ${tags}`,
    );
  }
  const firstTurbineField = m.turbine?.fields[0];
  if (m.turbine && firstTurbineField) {
    out.push(
      `SELECT last(${quoteIdent(firstTurbineField)}) AS "v" FROM ${qualifiedMeasurement(m.turbine.measurement, rp)} WHERE ${recent(windowMs)} GROUP BY ${tags}`,
    );
  }
  return out;
}
