import {
  durationLiteral,
  groupByTags,
  qualifiedMeasurement,
  quoteIdent,
  tagIn,
  timeMs,
} from "@/lib/influx/influxql";
import { identityTags } from "@/lib/telemetry/queries";
import type { Mapping } from "@/lib/telemetry/schemas";

// The evaluator's InfluxQL, pure. One request per data source per evaluation,
// whatever the fleet size (GROUP BY tags), plus a bounded backfill per site
// whose buffered points arrived late.

/** Points dated this far ahead of the server clock mark a host's clock as wrong. */
export const FUTURE_SKEW_MS = 5 * 60_000;
/** How far back "when did this host last speak" is looked for. */
export const LAST_POINT_LOOKBACK_MS = 24 * 3_600_000;
/** A backfill answers at most about this many windows per host (long outages get coarser windows). */
export const MAX_BACKFILL_WINDOWS = 960;
/** The longest outage the evaluator replays. */
export const MAX_BACKFILL_MS = 24 * 3_600_000;

/**
 * Three statements: the highest temperature per host in (from, to] (over all
 * its sensors), each host's newest point up to `now`, and hosts whose newest
 * point is in the future of `now` (a wrong clock).
 */
export function windowStatements(
  m: Mapping,
  rp: string | null,
  fromMs: number,
  toMs: number,
  nowMs = toMs,
): string[] {
  const t = m.temperature;
  const f = quoteIdent(t.field);
  const from = qualifiedMeasurement(t.measurement, rp);
  const group = groupByTags(identityTags(m));
  return [
    `SELECT max(${f}) AS "max" FROM ${from} WHERE time > ${timeMs(fromMs)} AND time <= ${timeMs(toMs)} GROUP BY ${group}`,
    `SELECT last(${f}) AS "v" FROM ${from} WHERE time > ${timeMs(nowMs - LAST_POINT_LOOKBACK_MS)} AND time <= ${timeMs(nowMs)} GROUP BY ${group}`,
    `SELECT last(${f}) AS "v" FROM ${from} WHERE time > ${timeMs(nowMs + FUTURE_SKEW_MS)} GROUP BY ${group}`,
  ];
}

/** The window size a backfill of [from, to) uses: the evaluation interval, coarser for long gaps. */
export function backfillWindowMs(fromMs: number, toMs: number, intervalMs: number): number {
  const span = Math.max(0, toMs - fromMs);
  const seconds = Math.ceil(Math.max(intervalMs, span / MAX_BACKFILL_WINDOWS) / 1000);
  return seconds * 1000;
}

/** Highest temperature per host and window for one site's gap (fromMs, toMs]. */
export function backfillStatement(
  m: Mapping,
  rp: string | null,
  scope: { tag: string; value: string } | { hosts: string[] },
  fromMs: number,
  toMs: number,
  windowMs: number,
): string {
  const t = m.temperature;
  const where = "tag" in scope ? tagIn(scope.tag, [scope.value]) : tagIn(m.hostTag, scope.hosts);
  return (
    `SELECT max(${quoteIdent(t.field)}) AS "max" FROM ${qualifiedMeasurement(t.measurement, rp)}` +
    ` WHERE ${where} AND time > ${timeMs(fromMs)} AND time <= ${timeMs(toMs)}` +
    ` GROUP BY time(${durationLiteral(windowMs)}), ${groupByTags(identityTags(m))} fill(none)`
  );
}

/** History for the rule preview: highest temperature per host and window over (fromMs, toMs]. */
export function previewStatement(
  m: Mapping,
  rp: string | null,
  scope: { tag: string; values: string[] } | null,
  fromMs: number,
  toMs: number,
  windowMs: number,
): string {
  const t = m.temperature;
  const parts = [`time > ${timeMs(fromMs)}`, `time <= ${timeMs(toMs)}`];
  if (scope) parts.unshift(tagIn(scope.tag, scope.values));
  return (
    `SELECT max(${quoteIdent(t.field)}) AS "max" FROM ${qualifiedMeasurement(t.measurement, rp)}` +
    ` WHERE ${parts.join(" AND ")}` +
    ` GROUP BY time(${durationLiteral(windowMs)}), ${groupByTags(identityTags(m))} fill(none)`
  );
}
