import { describe, expect, it } from "vitest";
import { createGrantRateLimiter } from "./rate-limit";

describe("per-grant rate limit", () => {
  it("allows the limit per minute, then answers with the seconds left", () => {
    const rl = createGrantRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect(rl.take("g", 3, t0 + i).ok).toBe(true);
    expect(rl.take("g", 3, t0 + 20_000)).toEqual({ ok: false, retryAfterSeconds: 40, remaining: 0 });
    // Another grant has its own window.
    expect(rl.take("h", 3, t0 + 20_000).ok).toBe(true);
    // A new window after a minute.
    expect(rl.take("g", 3, t0 + 60_000)).toMatchObject({ ok: true, remaining: 2 });
  });

  it("never answers Retry-After 0", () => {
    const rl = createGrantRateLimiter();
    rl.take("g", 1, 0);
    expect(rl.take("g", 1, 59_999)).toMatchObject({ ok: false, retryAfterSeconds: 1 });
  });

  it("stays bounded under a flood of keys", () => {
    const rl = createGrantRateLimiter(100);
    for (let i = 0; i < 1_000; i++) rl.take(`k${i}`, 5, i);
    expect(rl.take("k999", 5, 1_000)).toMatchObject({ ok: true });
  });
});
