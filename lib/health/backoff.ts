// The collector's retry policy, defined once. The collector schedules attempts
// by it; the health model reads it back to know how far apart attempts should
// be (is the collector behind?) and roughly when a dark cluster went dark.
// Pure, and below both: lib/collector and lib/health/freshness import it.

/** Failures retried at the normal interval before backing off: a blip should heal within one interval. */
export const RETRIES_BEFORE_BACKOFF = 3;
/** Backoff never waits longer than this between attempts. */
export const DEFAULT_MAX_BACKOFF_MS = 5 * 60_000;
/** Healthy clusters come back every interval ±10 %, so polls do not bunch up. */
export const INTERVAL_JITTER = 0.1;
/** Backed-off clusters ±20 %, so a dark region does not return as one reconnect storm. */
export const BACKOFF_JITTER = 0.2;
/** 2^40 intervals is far past any cap; bounding the exponent keeps the arithmetic finite. */
const MAX_EXPONENT = 40;

/**
 * The nominal gap before the next attempt: the interval for healthy clusters and
 * the first RETRIES_BEFORE_BACKOFF failures, then doubling per failure up to the cap
 * (never below the interval).
 */
export function backoffGapMs(intervalMs: number, consecutiveFailures: number, maxBackoffMs: number): number {
  if (consecutiveFailures <= RETRIES_BEFORE_BACKOFF) return intervalMs;
  const exponent = Math.min(consecutiveFailures - RETRIES_BEFORE_BACKOFF, MAX_EXPONENT);
  return Math.min(intervalMs * 2 ** exponent, Math.max(maxBackoffMs, intervalMs));
}

/** The gap with its jitter applied; `random` in [0, 1). Never above the cap once backing off. */
export function jitteredGapMs(
  intervalMs: number,
  consecutiveFailures: number,
  maxBackoffMs: number,
  random: number,
): number {
  const gap = backoffGapMs(intervalMs, consecutiveFailures, maxBackoffMs);
  if (consecutiveFailures <= RETRIES_BEFORE_BACKOFF)
    return Math.round(gap * (1 - INTERVAL_JITTER + 2 * INTERVAL_JITTER * random));
  const cap = Math.max(maxBackoffMs, intervalMs);
  return Math.round(Math.min(gap * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random), cap));
}
