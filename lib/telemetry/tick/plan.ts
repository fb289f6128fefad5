// What one telemetry tick asks InfluxDB, in ONE request per data source for the
// whole fleet. Pure: the previous tick's window and `now` in, InfluxQL out.
//
// Why plain points and not `last() … GROUP BY host`: on influxd 1.x a GROUP BY
// over 10,000 series costs hundreds of milliseconds even when the window holds
// no point at all (one iterator per tag set), while a plain SELECT over a
// short window costs about what it returns. The tick only needs the points
// that arrived since the previous tick, so it reads those and reduces them
// itself. After a gap (first tick, InfluxDB was down) the window is long and
// the aggregated form is cheaper: that is the catch-up mode.
import { PLAUSIBLE_CLOCK_YEAR } from "@/lib/health/model";
import { groupByTags, qualifiedMeasurement, quoteIdent, tagIn, timeMs } from "@/lib/influx/influxql";
import { identityTags, LOOKBACK_MS } from "../queries";
import type { Mapping } from "../schemas";
import type { TickMode } from "./types";

/** A point sampled at t reaches InfluxDB a little later (Telegraf flushes every 10 s): windows overlap by this. */
export const ARRIVAL_GRACE_MS = 10_000;
/** Longest window read as plain points; longer gaps are caught up with one aggregate per series. */
export const RAW_WINDOW_MAX_MS = 60_000;
/** Points up to this far ahead of Outpost's clock are plausible (small drift); later ones are a wrong clock. */
export const CLOCK_TOLERANCE_MS = 2 * 60_000;
/** Nothing an edge board writes today predates this: earlier points come from a clock that booted in 1970. */
export const PLAUSIBLE_SINCE_MS = Date.UTC(PLAUSIBLE_CLOCK_YEAR, 0, 1);
/** Silent hosts probed per tick (for a wrong clock or late points); more are taken in turns. */
export const MAX_PROBE_HOSTS = 100;

export interface TickWindow {
  mode: TickMode;
  /** exclusive lower bound of point time */
  from: number;
  /** the tick's instant */
  to: number;
  /** inclusive upper bound of point time: later points are not plausible */
  futureLimit: number;
}

/** The window of the next tick: from the previous successful tick (minus the arrival grace) to now. */
export function planWindow(previousWindowTo: number | null, now: number): TickWindow {
  const futureLimit = now + CLOCK_TOLERANCE_MS;
  if (previousWindowTo !== null && previousWindowTo <= now) {
    const from = previousWindowTo - ARRIVAL_GRACE_MS;
    if (now - from <= RAW_WINDOW_MAX_MS) return { mode: "raw", from, to: now, futureLimit };
    return { mode: "catch-up", from: Math.max(from, now - LOOKBACK_MS), to: now, futureLimit };
  }
  return { mode: "catch-up", from: now - LOOKBACK_MS, to: now, futureLimit };
}

/** Which statement answers what; indexes into the request's statements. */
export interface TickStatements {
  statements: string[];
  window: TickWindow;
  /** raw: plain temperature points (latest and max come from the same rows); catch-up: last() per series */
  temp: number;
  /** catch-up only: max() per series */
  tempMax: number | null;
  /** raw: plain ping points with loss and rtt; catch-up: last(loss) */
  ping: number | null;
  /** catch-up only: last(rtt) */
  pingRtt: number | null;
  /** the key metric (the first turbine field, e.g. power): raw points or last() per series */
  key: number | null;
  probes: {
    hosts: string[];
    future: number;
    ancient: number;
    lookbackTemp: number;
    lookbackPing: number | null;
  } | null;
}

function timeRange(fromExclusive: number, toInclusive: number): string {
  return `time > ${timeMs(fromExclusive)} AND time <= ${timeMs(toInclusive)}`;
}

/** Tag columns a plain SELECT returns (identity, and the sensor for temperature). */
export function tagColumns(m: Mapping, withSensor: boolean): string[] {
  const tags = identityTags(m);
  if (withSensor && m.temperature.sensorTag) tags.push(m.temperature.sensorTag);
  return [...new Set(tags)];
}

export function tickStatements(
  m: Mapping,
  rp: string | null,
  window: TickWindow,
  probeHosts: readonly string[] = [],
): TickStatements {
  const t = m.temperature;
  const temp = qualifiedMeasurement(t.measurement, rp);
  const c = m.connectivity;
  const ping = c ? qualifiedMeasurement(c.measurement, rp) : null;
  const range = timeRange(window.from, window.futureLimit);
  const statements: string[] = [];
  const push = (q: string) => statements.push(q) - 1;
  const identity = groupByTags(identityTags(m));
  const bySensor = groupByTags([...identityTags(m), t.sensorTag]);
  const out: TickStatements = {
    statements,
    window,
    temp: -1,
    tempMax: null,
    ping: null,
    pingRtt: null,
    key: null,
    probes: null,
  };
  const keyField = m.turbine?.fields[0];
  const keyFrom = m.turbine && keyField ? qualifiedMeasurement(m.turbine.measurement, rp) : null;
  if (window.mode === "raw") {
    const tempTags = tagColumns(m, true).map(quoteIdent).join(", ");
    out.temp = push(`SELECT ${quoteIdent(t.field)} AS "v", ${tempTags} FROM ${temp} WHERE ${range}`);
    if (c && ping) {
      const tags = tagColumns(m, false).map(quoteIdent).join(", ");
      out.ping = push(
        `SELECT ${quoteIdent(c.lossField)} AS "loss", ${quoteIdent(c.rttField)} AS "rtt", ${tags} FROM ${ping} WHERE ${range}`,
      );
    }
    if (keyFrom && keyField) {
      const tags = tagColumns(m, false).map(quoteIdent).join(", ");
      out.key = push(`SELECT ${quoteIdent(keyField)} AS "v", ${tags} FROM ${keyFrom} WHERE ${range}`);
    }
  } else {
    out.temp = push(
      `SELECT last(${quoteIdent(t.field)}) AS "v" FROM ${temp} WHERE ${range} GROUP BY ${bySensor}`,
    );
    out.tempMax = push(
      `SELECT max(${quoteIdent(t.field)}) AS "v" FROM ${temp} WHERE ${range} GROUP BY ${bySensor}`,
    );
    if (c && ping) {
      out.ping = push(
        `SELECT last(${quoteIdent(c.lossField)}) AS "v" FROM ${ping} WHERE ${range} GROUP BY ${identity}`,
      );
      out.pingRtt = push(
        `SELECT last(${quoteIdent(c.rttField)}) AS "v" FROM ${ping} WHERE ${range} GROUP BY ${identity}`,
      );
    }
    if (keyFrom && keyField)
      out.key = push(
        `SELECT last(${quoteIdent(keyField)}) AS "v" FROM ${keyFrom} WHERE ${range} GROUP BY ${identity}`,
      );
  }
  if (probeHosts.length > 0) {
    // Silent hosts only: a GROUP BY over a handful of series is cheap.
    const hosts = tagIn(m.hostTag, probeHosts);
    const lookback = timeRange(window.to - LOOKBACK_MS, window.futureLimit);
    const last = (from: string, where: string) =>
      `SELECT last(${quoteIdent(t.field)}) AS "v" FROM ${from} WHERE ${hosts} AND ${where} GROUP BY ${identity}`;
    out.probes = {
      hosts: [...probeHosts],
      future: push(last(temp, `time > ${timeMs(window.futureLimit)}`)),
      ancient: push(last(temp, `time < ${timeMs(PLAUSIBLE_SINCE_MS)}`)),
      lookbackTemp: push(last(temp, lookback)),
      lookbackPing:
        c && ping
          ? push(
              `SELECT last(${quoteIdent(c.lossField)}) AS "v" FROM ${ping} WHERE ${hosts} AND ${lookback} GROUP BY ${identity}`,
            )
          : null,
    };
  }
  return out;
}
