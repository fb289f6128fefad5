// InfluxDB line protocol for the v1 `/write` endpoint. Escaping and field typing come from
// `Point` in @influxdata/influxdb-client; this module only adds the bits that library leaves open
// for InfluxDB 1.x: millisecond/second timestamps, tag values it cannot escape safely, and
// non-finite numbers (which it throws on).
import { Point } from "@influxdata/influxdb-client";

/** Timestamp precisions we write with; matches the `precision` query parameter of `/write`. */
export type WritePrecision = "ms" | "s";

export interface LinePoint {
  measurement: string;
  tags: Readonly<Record<string, string>>;
  /** written as floats (`1.5`) */
  floats?: Readonly<Record<string, number>>;
  /** written as integers (`3i`); InfluxDB fixes a field's type on first write, so keep it stable */
  ints?: Readonly<Record<string, number>>;
  /** epoch milliseconds */
  timeMs: number;
}

const convertMs = (value: string | number | Date | undefined) =>
  value === undefined ? undefined : String(value);
const convertS = (value: string | number | Date | undefined) =>
  value === undefined ? undefined : String(Math.floor(Number(value) / 1000));

/**
 * Makes a tag value survivable for line protocol. The library escapes space, comma and equals but
 * not backslash, so a value ending in `\` would escape the following separator and corrupt the
 * line; control characters have no escape in 1.x at all.
 */
export function sanitizeTagValue(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").replace(/\\+$/, "");
}

/** Serializes one point, or returns undefined when nothing writable is left (no finite field). */
export function toLine(point: LinePoint, precision: WritePrecision = "ms"): string | undefined {
  const p = new Point(point.measurement);
  for (const [key, value] of Object.entries(point.tags)) {
    const clean = sanitizeTagValue(value);
    // Line protocol has no empty tag values; the library would drop them silently anyway.
    if (clean) p.tag(key, clean);
  }
  // Telegraf drops NaN/Inf fields instead of failing the whole metric; do the same.
  for (const [key, value] of Object.entries(point.floats ?? {})) {
    if (Number.isFinite(value)) p.floatField(key, value);
  }
  for (const [key, value] of Object.entries(point.ints ?? {})) {
    if (Number.isFinite(value)) p.intField(key, value);
  }
  p.timestamp(Math.round(point.timeMs));
  return p.toLineProtocol({ convertTime: precision === "s" ? convertS : convertMs });
}
