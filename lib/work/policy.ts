// Pure timing rules of background work: job retry backoff, lease expiry and how
// long a holder may trust a lease it took. No I/O, no clock: callers pass `now`.

export interface BackoffPolicy {
  /** delay before the first retry */
  baseMs: number;
  /** no retry waits longer than this */
  maxMs: number;
  /** 0..1: the share of each delay that is randomised ("equal jitter") */
  jitter: number;
}

export const DEFAULT_JOB_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 10 * 60_000, jitter: 0.5 };

/** Restarts of the web server's worker thread after it died: soon, but never a tight crash loop. */
export const WORKER_THREAD_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };

/**
 * Delay before retry number `attempt` (1 = the first retry): exponential from
 * baseMs, capped at maxMs, with the top `jitter` share of it random so jobs
 * that failed together do not all retry in the same instant.
 */
export function retryDelayMs(attempt: number, policy: BackoffPolicy, random: number): number {
  const n = Math.max(1, Math.floor(attempt));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  const r = Math.min(1, Math.max(0, random));
  // 2 ** 1024 is Infinity; Math.min keeps the cap exact for any attempt count.
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 1023));
  return Math.round(raw * (1 - jitter) + raw * jitter * r);
}

export type NextAttempt = { kind: "retry"; runAt: number } | { kind: "fail" };

/** After claim number `attempt` failed: retry later, or give up once maxAttempts claims have run. */
export function nextAttempt(
  job: { attempt: number; maxAttempts: number },
  now: number,
  policy: BackoffPolicy,
  random: number,
): NextAttempt {
  if (job.attempt >= job.maxAttempts) return { kind: "fail" };
  return { kind: "retry", runAt: now + retryDelayMs(job.attempt, policy, random) };
}

/** A lease is free for the taking once its expiry has passed (expiry itself counts as expired). */
export function leaseExpired(lease: { expiresAt: number }, now: number): boolean {
  return now >= lease.expiresAt;
}

export function leaseExpiresAt(now: number, ttlMs: number): number {
  if (!(ttlMs > 0)) throw new RangeError(`lease ttl must be positive, got ${ttlMs}`);
  return now + ttlMs;
}

/**
 * Until when a holder may act on a lease it acquired or renewed at `startedAt`
 * (its own clock, taken *before* the request): the ttl minus a safety margin
 * for clock drift and the time the request took. Never later than expiry.
 */
export function trustedUntil(startedAt: number, ttlMs: number, marginMs: number): number {
  return startedAt + Math.max(0, ttlMs - Math.max(0, marginMs));
}

/** How often a holder renews: a third of the ttl, so two renewals may fail before it expires. */
export function renewEveryMs(ttlMs: number): number {
  return Math.max(1, Math.floor(ttlMs / 3));
}

/** Default safety margin: a tenth of the ttl, at least 1 s when the ttl allows it. */
export function defaultMarginMs(ttlMs: number): number {
  return Math.min(Math.max(1_000, Math.floor(ttlMs / 10)), Math.floor(ttlMs / 2));
}
