// Bucket sizes for charts: about one bucket per pixel, never more than
// MAX_POINTS_PER_SERIES per series (recharts slows down past a few thousand
// points, and Grafana asks for at most one per pixel), never finer than twice
// the sensors' own period (a bucket without its sample would draw a false gap).

export const MAX_POINTS_PER_SERIES = 1_000;

/** Round steps a human reads on an axis; the smallest that fits is chosen. */
export const NICE_STEPS_MS: readonly number[] = [
  1_000,
  2_000,
  5_000,
  10_000,
  15_000,
  20_000,
  30_000,
  60_000,
  2 * 60_000,
  5 * 60_000,
  10 * 60_000,
  15 * 60_000,
  20 * 60_000,
  30 * 60_000,
  3_600_000,
  2 * 3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
];

export function chooseInterval(rangeMs: number, widthPx: number, sampleSeconds: number): number {
  const buckets = Math.max(1, Math.min(MAX_POINTS_PER_SERIES, Math.floor(widthPx)));
  // Buckets align to the epoch, so a range can touch one more than range/interval: keep one spare.
  const raw = Math.max(rangeMs / Math.max(1, buckets - 1), 2 * sampleSeconds * 1_000);
  for (const step of NICE_STEPS_MS) if (step >= raw) return step;
  return Math.ceil(raw / 86_400_000) * 86_400_000;
}

/** Whole buckets covering [from, to): what a chart of this range can hold at most. */
export function bucketCount(fromMs: number, toMs: number, intervalMs: number): number {
  return Math.floor((toMs - 1) / intervalMs) - Math.floor(fromMs / intervalMs) + 1;
}
