// Requests per grant per minute: a fixed one-minute window per grant. The
// window lives in the database (rate-limit-store.ts), so every Outpost instance
// counts against the same budget: N instances behind a load balancer allow the
// grant's rate, not N × it. This file is the pure part: what a window's count
// means for the request that made it.

export interface RateDecision {
  ok: boolean;
  /** whole seconds until the window resets (the Retry-After value) */
  retryAfterSeconds: number;
  remaining: number;
}

export const RATE_WINDOW_MS = 60_000;

/** A grant's window after this request was counted in it. */
export interface RateWindow {
  /** when the window began (ms) */
  start: number;
  /** requests counted in it, this one included */
  count: number;
}

/** Whether a window that starts at `start` is over at `now` (the next request opens a new one). */
export function isWindowOver(start: number, now: number): boolean {
  return now - start >= RATE_WINDOW_MS;
}

export function rateDecision(window: RateWindow, limitPerMinute: number, now: number): RateDecision {
  const retryAfterSeconds = Math.max(1, Math.ceil((window.start + RATE_WINDOW_MS - now) / 1000));
  if (window.count > limitPerMinute) return { ok: false, retryAfterSeconds, remaining: 0 };
  return { ok: true, retryAfterSeconds, remaining: limitPerMinute - window.count };
}
