// The series contract of Outpost's charts and its pure rules, shared by the
// recharts wrapper (time-series-chart.tsx) and the server-rendered embeds:
// a missing bucket is a gap, series differ by dash as well as colour, and the
// numbers behind a chart can be stated as text. No React, no browser APIs.

export interface ChartPoint {
  t: number;
  min?: number | null;
  mean: number | null;
  max?: number | null;
}

export interface ChartSeries {
  id: string;
  label: string;
  unit: string;
  points: ChartPoint[];
}

/** Consecutive points further apart than this many buckets have a gap between them. */
export interface ChartThreshold {
  value: number;
  label: string;
}

/** A stretch of time to shade (e.g. link down); `label` is read out and shown. */
export interface ChartBand {
  from: number;
  to: number;
  label: string;
  tone: "danger" | "warn";
}

export const GAP_AFTER_BUCKETS = 1.5;

export function isGap(previous: number, t: number, intervalMs: number): boolean {
  return t - previous > intervalMs * GAP_AFTER_BUCKETS;
}

/** Readable on the dark control-room background; each also gets its own dash. */
export const SERIES_COLORS: readonly string[] = [
  "#79b8ff",
  "#ffcc4d",
  "#6fdd8b",
  "#ff8a80",
  "#d2a8ff",
  "#56d4dd",
  "#ffa657",
  "#f0f4f8",
];
/** The same hues, dark enough for white backgrounds (light-themed embeds), ≥ 4.5:1 on #fff. */
export const SERIES_COLORS_LIGHT: readonly string[] = [
  "#0a58a8",
  "#7a5600",
  "#17702f",
  "#b3261e",
  "#6d28d9",
  "#0b6478",
  "#9a4508",
  "#1f2937",
];
const DASHES: readonly string[] = ["", "8 4", "2 3", "10 3 2 3", "4 4", "1 4", "12 6", "6 2 2 2"];

export function seriesStyle(
  index: number,
  theme: "dark" | "light" = "dark",
): { color: string; dash: string } {
  const colors = theme === "light" ? SERIES_COLORS_LIGHT : SERIES_COLORS;
  return {
    color: colors[index % colors.length] ?? "#79b8ff",
    // Dashes repeat after colours do, so two series never share both.
    dash: DASHES[Math.floor(index / colors.length + index) % DASHES.length] ?? "",
  };
}

export type ChartRow = { t: number } & Record<string, number | null | [number, number] | undefined>;

/**
 * A value in the chart's display unit: the optional display conversion (e.g. °C → °F) applied, a
 * missing value (null or undefined: no bucket, no min/max) kept missing as null. Every drawing of a
 * chart (rows, the SVG preview, threshold lines, the summary table) converts through this one rule.
 */
export function applyTransform(value: number, transform?: (value: number) => number): number;
export function applyTransform(
  value: number | null | undefined,
  transform?: (value: number) => number,
): number | null;
export function applyTransform(
  value: number | null | undefined,
  transform?: (value: number) => number,
): number | null {
  if (value === null || value === undefined) return null;
  return transform ? transform(value) : value;
}

/**
 * Merges series into rows by time. Where a series skips a bucket, a null row is
 * inserted right after its last point, so recharts (connectNulls off) breaks the
 * line there instead of drawing across the outage.
 */
export function toRows(
  series: readonly ChartSeries[],
  intervalMs: number,
  transform?: (v: number) => number,
): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  const rowAt = (t: number): ChartRow => {
    let row = rows.get(t);
    if (!row) {
      row = { t };
      rows.set(t, row);
    }
    return row;
  };
  series.forEach((s, i) => {
    let previous: number | null = null;
    for (const p of s.points) {
      if (previous !== null && isGap(previous, p.t, intervalMs)) rowAt(previous + intervalMs)[`s${i}`] = null;
      const row = rowAt(p.t);
      row[`s${i}`] = applyTransform(p.mean, transform);
      const lo = applyTransform(p.min, transform);
      const hi = applyTransform(p.max, transform);
      if (lo !== null && hi !== null) row[`r${i}`] = [lo, hi];
      previous = p.t;
    }
  });
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

interface Stats {
  latest: number | null;
  latestAt: number | null;
  min: number | null;
  max: number | null;
  gaps: number;
}

export function seriesStats(s: ChartSeries, intervalMs: number): Stats {
  let min: number | null = null;
  let max: number | null = null;
  let gaps = 0;
  let previous: number | null = null;
  let latest: ChartPoint | null = null;
  for (const p of s.points) {
    const lo = p.min ?? p.mean;
    const hi = p.max ?? p.mean;
    if (lo !== null && lo !== undefined && (min === null || lo < min)) min = lo;
    if (hi !== null && hi !== undefined && (max === null || hi > max)) max = hi;
    if (previous !== null && isGap(previous, p.t, intervalMs)) gaps++;
    if (p.mean !== null) latest = p;
    previous = p.t;
  }
  return { latest: latest?.mean ?? null, latestAt: latest?.t ?? null, min, max, gaps };
}
