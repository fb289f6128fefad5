// Fixed-window attempt counter for logins. In memory on purpose: it guards one
// process; a scaled-out deployment puts its proxy's limiter in front as well.

export interface RateLimiter {
  /** counts a failure; returns seconds to wait when the key is now blocked */
  fail(key: string, now?: number): number | null;
  /** seconds until the key may try again, or null when it may try now */
  blockedFor(key: string, now?: number): number | null;
  reset(key: string): void;
}

export function createRateLimiter(maxAttempts: number, windowMs: number, maxKeys = 50_000): RateLimiter {
  const hits = new Map<string, { count: number; windowStart: number }>();
  const prune = (now: number) => {
    if (hits.size < maxKeys) return;
    for (const [k, v] of hits) if (now - v.windowStart >= windowMs) hits.delete(k);
    // Under a flood of distinct keys, forget the oldest rather than grow without bound.
    while (hits.size >= maxKeys) {
      const oldest = hits.keys().next().value;
      if (oldest === undefined) break;
      hits.delete(oldest);
    }
  };
  const current = (key: string, now: number) => {
    const entry = hits.get(key);
    if (!entry || now - entry.windowStart >= windowMs) return undefined;
    return entry;
  };
  return {
    fail(key, now = Date.now()) {
      prune(now);
      const entry = current(key, now) ?? { count: 0, windowStart: now };
      entry.count += 1;
      hits.set(key, entry);
      return entry.count >= maxAttempts ? Math.ceil((entry.windowStart + windowMs - now) / 1000) : null;
    },
    blockedFor(key, now = Date.now()) {
      const entry = current(key, now);
      return entry && entry.count >= maxAttempts
        ? Math.ceil((entry.windowStart + windowMs - now) / 1000)
        : null;
    },
    reset(key) {
      hits.delete(key);
    },
  };
}
