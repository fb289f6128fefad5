import { describe, expect, it } from "vitest";
import { isWindowOver, RATE_WINDOW_MS, rateDecision } from "./rate-limit";

describe("per-grant rate decision", () => {
  it("allows the limit per minute, then answers with the seconds left", () => {
    const t0 = 1_000_000;
    expect(rateDecision({ start: t0, count: 1 }, 3, t0)).toEqual({
      ok: true,
      retryAfterSeconds: 60,
      remaining: 2,
    });
    expect(rateDecision({ start: t0, count: 3 }, 3, t0 + 2)).toMatchObject({ ok: true, remaining: 0 });
    expect(rateDecision({ start: t0, count: 4 }, 3, t0 + 20_000)).toEqual({
      ok: false,
      retryAfterSeconds: 40,
      remaining: 0,
    });
  });

  it("never answers Retry-After 0", () => {
    expect(rateDecision({ start: 0, count: 2 }, 1, 59_999)).toMatchObject({
      ok: false,
      retryAfterSeconds: 1,
    });
    expect(rateDecision({ start: 0, count: 2 }, 1, 60_500)).toMatchObject({ retryAfterSeconds: 1 });
  });

  it("a window is over exactly one minute after it began", () => {
    expect(isWindowOver(0, RATE_WINDOW_MS - 1)).toBe(false);
    expect(isWindowOver(0, RATE_WINDOW_MS)).toBe(true);
  });
});
