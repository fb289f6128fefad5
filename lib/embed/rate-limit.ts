// Requests per grant per minute: a fixed one-minute window per key. In memory
// on purpose: it protects this process's InfluxDB and database from one noisy
// or leaked embed; the window restarts with the process.

export interface RateDecision {
  ok: boolean;
  /** whole seconds until the window resets (the Retry-After value) */
  retryAfterSeconds: number;
  remaining: number;
}

export interface GrantRateLimiter {
  take(key: string, limitPerMinute: number, now?: number): RateDecision;
  reset(): void;
}

const WINDOW_MS = 60_000;

export function createGrantRateLimiter(maxKeys = 100_000): GrantRateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(key, limit, now = Date.now()) {
      let w = windows.get(key);
      if (!w || now - w.start >= WINDOW_MS) {
        if (!w && windows.size >= maxKeys) {
          for (const [k, v] of windows) if (now - v.start >= WINDOW_MS) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000));
      if (w.count >= limit) return { ok: false, retryAfterSeconds, remaining: 0 };
      w.count += 1;
      return { ok: true, retryAfterSeconds, remaining: limit - w.count };
    },
    reset() {
      windows.clear();
    },
  };
}
