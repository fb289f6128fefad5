// Node × time matrices for heatmaps: one row per node, one cell per time
// bucket, plus the spread across nodes (min / median / max) per bucket. Pure:
// series in, arrays out. Buckets align to the epoch like InfluxQL's
// GROUP BY time(interval), so a cell and an InfluxDB bucket are the same thing.

import { bucketCount } from "./interval";

/** A value that fell into a bucket (one per InfluxDB bucket and series). */
export interface BucketValue {
  t: number;
  value: number | null;
}

/** One input series: several may share a row (a board with several sensors). */
export interface MatrixInput {
  row: string;
  label: string;
  values: readonly BucketValue[];
}

export interface MatrixRow {
  id: string;
  label: string;
  /** one entry per bucket; null = no reading in that bucket */
  cells: (number | null)[];
}

export interface SpreadPoint {
  t: number;
  min: number | null;
  median: number | null;
  max: number | null;
  /** how many rows had a reading in this bucket */
  count: number;
}

export interface NodeMatrix {
  /** start of the first bucket (epoch ms, a multiple of intervalMs) */
  start: number;
  intervalMs: number;
  buckets: number;
  rows: MatrixRow[];
}

/** Start of the bucket that holds `t`. */
export function bucketStart(t: number, intervalMs: number): number {
  return Math.floor(t / intervalMs) * intervalMs;
}

/** Index of `t`'s bucket in a matrix starting at `start`; may be out of range. */
export function bucketIndex(t: number, start: number, intervalMs: number): number {
  return Math.floor((t - start) / intervalMs);
}

/** Display precision of the wire format: tenths, so 23 nodes × 1,000 buckets stay small. */
export function roundTenth(v: number): number {
  return Math.round(v * 10) / 10;
}

/**
 * Rows by `row` id in first-seen order; where several series share a row, a
 * cell keeps the highest value (the hottest sensor speaks for the board).
 * Values outside the buckets of [from, to) are dropped.
 */
export function toMatrix(
  inputs: readonly MatrixInput[],
  fromMs: number,
  toMs: number,
  intervalMs: number,
): NodeMatrix {
  const start = bucketStart(fromMs, intervalMs);
  const buckets = Math.max(0, bucketCount(fromMs, toMs, intervalMs));
  const rows = new Map<string, MatrixRow>();
  for (const input of inputs) {
    let row = rows.get(input.row);
    if (!row) {
      row = { id: input.row, label: input.label, cells: new Array<number | null>(buckets).fill(null) };
      rows.set(input.row, row);
    }
    for (const { t, value } of input.values) {
      if (value === null || !Number.isFinite(value) || t >= toMs) continue;
      const i = bucketIndex(t, start, intervalMs);
      if (i < 0 || i >= buckets) continue;
      const previous = row.cells[i];
      const v = roundTenth(value);
      if (previous === null || previous === undefined || v > previous) row.cells[i] = v;
    }
  }
  return { start, intervalMs, buckets, rows: [...rows.values()] };
}

/** Median of a sorted, non-empty list (mean of the two middle values when even). */
function medianOfSorted(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

/** Per bucket: the lowest, median and highest cell across rows (nulls ignored). */
export function spread(matrix: NodeMatrix): SpreadPoint[] {
  const out: SpreadPoint[] = [];
  const column: number[] = [];
  for (let i = 0; i < matrix.buckets; i++) {
    column.length = 0;
    for (const row of matrix.rows) {
      const v = row.cells[i];
      if (v !== null && v !== undefined) column.push(v);
    }
    const t = matrix.start + i * matrix.intervalMs;
    if (column.length === 0) {
      out.push({ t, min: null, median: null, max: null, count: 0 });
      continue;
    }
    column.sort((a, b) => a - b);
    out.push({
      t,
      min: column[0] as number,
      median: roundTenth(medianOfSorted(column)),
      max: column[column.length - 1] as number,
      count: column.length,
    });
  }
  return out;
}

export interface RowStats {
  latest: number | null;
  latestAt: number | null;
  max: number | null;
  maxAt: number | null;
  min: number | null;
  /** buckets with a value above the threshold, and the time they cover */
  bucketsAbove: number;
  /** buckets without a reading */
  empty: number;
}

/** What the heatmap's text alternative says about one row. */
export function rowStats(
  row: { readonly cells: readonly (number | null)[] },
  start: number,
  intervalMs: number,
  threshold: number | null = null,
): RowStats {
  const s: RowStats = {
    latest: null,
    latestAt: null,
    max: null,
    maxAt: null,
    min: null,
    bucketsAbove: 0,
    empty: 0,
  };
  row.cells.forEach((v, i) => {
    if (v === null) {
      s.empty++;
      return;
    }
    const t = start + i * intervalMs;
    s.latest = v;
    s.latestAt = t;
    if (s.max === null || v > s.max) {
      s.max = v;
      s.maxAt = t;
    }
    if (s.min === null || v < s.min) s.min = v;
    if (threshold !== null && v > threshold) s.bucketsAbove++;
  });
  return s;
}
