// Connectivity as states over time: per node and bucket "up", "lossy" or
// "down", from the ping plugin's loss and round-trip time, merged into runs so
// a day of a healthy link is one run, not 720 cells. Pure. The ONE definition
// of what the connectivity timeline calls lossy or down.

import { LINK_FAILED_LOSS_PCT } from "@/lib/health/model";

export type LinkState = "up" | "lossy" | "down";

/** Mean loss at or above this (over LOSSY_WINDOW_MS) is lossy: one lost probe of five now and then is not. */
export const LOSSY_MEAN_LOSS_PCT = 10;
/**
 * Loss and RTT are judged over about a minute around each bucket, so a single
 * unlucky 10 s sample does not paint a healthy link as flickering; "down"
 * (every probe lost) is judged per bucket, so outages keep their exact edges.
 */
export const LOSSY_WINDOW_MS = 60_000;
/** RTT this many times the node's own median over the range counts as a slow (lossy) link… */
export const SLOW_RTT_FACTOR = 2;
/** …and at least this much above it, so a 5 ms LAN going to 12 ms is not called slow. */
export const SLOW_RTT_MIN_EXTRA_MS = 100;

/** One ping bucket as InfluxDB aggregates it (min / mean / max of the samples inside). */
export interface PingBucket {
  t: number;
  lossMin: number | null;
  lossMean: number | null;
  lossMax: number | null;
  rttMean: number | null;
}

export interface LinkRun {
  from: number;
  /** exclusive */
  to: number;
  state: LinkState;
}

/** The RTT above which a bucket counts as slow, from the node's own median RTT. */
export function slowRttMs(medianRttMs: number | null): number | null {
  if (medianRttMs === null) return null;
  return Math.max(medianRttMs * SLOW_RTT_FACTOR, medianRttMs + SLOW_RTT_MIN_EXTRA_MS);
}

/**
 * down: every probe of every sample in the bucket was lost. lossy: heavy
 * average loss or a slow round trip (pass the window's means, see linkRuns).
 * Buckets without a loss figure have no state (the timeline shows "no data").
 */
export function classifyBucket(b: PingBucket, slowAboveMs: number | null): LinkState | null {
  if (b.lossMean === null && b.lossMin === null && b.lossMax === null) return null;
  if (b.lossMin !== null && b.lossMin >= LINK_FAILED_LOSS_PCT) return "down";
  if (b.lossMean !== null && b.lossMean >= LOSSY_MEAN_LOSS_PCT) return "lossy";
  if (slowAboveMs !== null && b.rttMean !== null && b.rttMean > slowAboveMs) return "lossy";
  return "up";
}

/**
 * Each bucket's loss and RTT replaced by their mean over the buckets within
 * ±windowMs/2. Neighbours that saw a probe round lose everything (an outage or
 * its edge) stay out of the others' windows, so an outage does not smear into
 * the minutes around it; they still count for themselves. Buckets keep their
 * own min/max.
 */
export function smoothed(buckets: readonly PingBucket[], windowMs: number): PingBucket[] {
  const half = windowMs / 2;
  const isDown = (b: PingBucket) => b.lossMin !== null && b.lossMin >= LINK_FAILED_LOSS_PCT;
  const touchesOutage = (b: PingBucket) => b.lossMax !== null && b.lossMax >= LINK_FAILED_LOSS_PCT;
  return buckets.map((b) => {
    if (isDown(b)) return b;
    let loss = 0;
    let lossN = 0;
    let rtt = 0;
    let rttN = 0;
    for (const o of buckets) {
      if (Math.abs(o.t - b.t) > half || (o !== b && touchesOutage(o))) continue;
      if (o.lossMean !== null) {
        loss += o.lossMean;
        lossN++;
      }
      if (o.rttMean !== null) {
        rtt += o.rttMean;
        rttN++;
      }
    }
    return {
      ...b,
      lossMean: lossN === 0 ? b.lossMean : loss / lossN,
      rttMean: rttN === 0 ? b.rttMean : rtt / rttN,
    };
  });
}

export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const hi = sorted[mid] as number;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] as number) + hi) / 2;
}

export interface LinkTimelineRow {
  runs: LinkRun[];
  /** the node's median RTT over the range (ms), the baseline for "slow" */
  medianRttMs: number | null;
  /** share of the buckets with data, per state (0–1) */
  share: Record<LinkState, number>;
}

/**
 * Runs of equal state from time-ordered buckets. Adjacent buckets of one state
 * merge; a missing bucket ends a run (no data is not "up"). Loss and RTT are
 * judged over LOSSY_WINDOW_MS around each bucket.
 */
export function linkRuns(buckets: readonly PingBucket[], intervalMs: number): LinkTimelineRow {
  const rtts: number[] = [];
  for (const b of buckets) if (b.rttMean !== null && Number.isFinite(b.rttMean)) rtts.push(b.rttMean);
  const medianRttMs = medianOf(rtts);
  const slowAbove = slowRttMs(medianRttMs);
  const runs: LinkRun[] = [];
  const counts: Record<LinkState, number> = { up: 0, lossy: 0, down: 0 };
  let total = 0;
  // The window is at least the bucket: long ranges are judged bucket by bucket.
  const judged = intervalMs >= LOSSY_WINDOW_MS ? buckets : smoothed(buckets, LOSSY_WINDOW_MS);
  for (const b of judged) {
    const state = classifyBucket(b, slowAbove);
    if (state === null) continue;
    counts[state]++;
    total++;
    const last = runs.at(-1);
    if (last && last.state === state && last.to === b.t) last.to = b.t + intervalMs;
    else runs.push({ from: b.t, to: b.t + intervalMs, state });
  }
  const share = (n: number) => (total === 0 ? 0 : n / total);
  return {
    runs,
    medianRttMs: medianRttMs === null ? null : Math.round(medianRttMs * 10) / 10,
    share: { up: share(counts.up), lossy: share(counts.lossy), down: share(counts.down) },
  };
}
