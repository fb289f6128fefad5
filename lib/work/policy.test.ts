import { describe, expect, it } from "vitest";
import {
  DEFAULT_JOB_BACKOFF,
  defaultMarginMs,
  leaseExpired,
  leaseExpiresAt,
  nextAttempt,
  renewEveryMs,
  retryDelayMs,
  trustedUntil,
} from "./policy";

const P = { baseMs: 1_000, maxMs: 60_000, jitter: 0.5 };

describe("retryDelayMs", () => {
  it("doubles from the base with no jitter", () => {
    const p = { ...P, jitter: 0 };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, p, 0.7))).toEqual([1_000, 2_000, 4_000, 8_000]);
  });
  it("randomises only the jitter share: half the delay at random 0, all of it at 1", () => {
    expect(retryDelayMs(3, P, 0)).toBe(2_000);
    expect(retryDelayMs(3, P, 1)).toBe(4_000);
    expect(retryDelayMs(3, P, 0.5)).toBe(3_000);
  });
  it("is capped at maxMs, also for huge attempt counts", () => {
    expect(retryDelayMs(7, { ...P, jitter: 0 }, 0)).toBe(60_000);
    expect(retryDelayMs(10_000, { ...P, jitter: 0 }, 0)).toBe(60_000);
    expect(retryDelayMs(10_000, P, 1)).toBe(60_000);
  });
  it("treats attempt 0 or less like the first retry and clamps out-of-range inputs", () => {
    expect(retryDelayMs(0, { ...P, jitter: 0 }, 0)).toBe(1_000);
    expect(retryDelayMs(-3, { ...P, jitter: 0 }, 0)).toBe(1_000);
    expect(retryDelayMs(1, { ...P, jitter: 5 }, 2)).toBe(1_000);
    expect(retryDelayMs(1, { ...P, jitter: -1 }, -1)).toBe(1_000);
  });
  it("the default policy starts at a second and stops at ten minutes", () => {
    expect(retryDelayMs(1, DEFAULT_JOB_BACKOFF, 1)).toBe(1_000);
    expect(retryDelayMs(50, DEFAULT_JOB_BACKOFF, 1)).toBe(600_000);
  });
});

describe("nextAttempt", () => {
  it("retries after the backoff while attempts remain", () => {
    expect(nextAttempt({ attempt: 1, maxAttempts: 3 }, 10_000, { ...P, jitter: 0 }, 0)).toEqual({
      kind: "retry",
      runAt: 11_000,
    });
    expect(nextAttempt({ attempt: 2, maxAttempts: 3 }, 10_000, { ...P, jitter: 0 }, 0)).toEqual({
      kind: "retry",
      runAt: 12_000,
    });
  });
  it("fails once the last allowed claim failed", () => {
    expect(nextAttempt({ attempt: 3, maxAttempts: 3 }, 0, P, 0)).toEqual({ kind: "fail" });
    expect(nextAttempt({ attempt: 1, maxAttempts: 1 }, 0, P, 0)).toEqual({ kind: "fail" });
    expect(nextAttempt({ attempt: 9, maxAttempts: 3 }, 0, P, 0)).toEqual({ kind: "fail" });
  });
});

describe("leases", () => {
  it("expire at their expiry instant, not a millisecond later", () => {
    expect(leaseExpired({ expiresAt: 1_000 }, 999)).toBe(false);
    expect(leaseExpired({ expiresAt: 1_000 }, 1_000)).toBe(true);
    expect(leaseExpired({ expiresAt: 1_000 }, 1_001)).toBe(true);
  });
  it("expiry is now + ttl, and a ttl must be positive", () => {
    expect(leaseExpiresAt(5_000, 30_000)).toBe(35_000);
    expect(() => leaseExpiresAt(0, 0)).toThrow(RangeError);
    expect(() => leaseExpiresAt(0, -1)).toThrow(RangeError);
    expect(() => leaseExpiresAt(0, Number.NaN)).toThrow(RangeError);
  });
  it("a holder trusts its lease until ttl − margin after the request started", () => {
    expect(trustedUntil(10_000, 30_000, 3_000)).toBe(37_000);
    expect(trustedUntil(10_000, 30_000, 0)).toBe(40_000);
    expect(trustedUntil(10_000, 30_000, -5)).toBe(40_000);
    // a margin larger than the ttl means: trust it not at all
    expect(trustedUntil(10_000, 30_000, 45_000)).toBe(10_000);
  });
  it("renews three times per ttl and keeps a margin of a tenth (≥ 1 s, ≤ half the ttl)", () => {
    expect(renewEveryMs(30_000)).toBe(10_000);
    expect(renewEveryMs(1)).toBe(1);
    expect(defaultMarginMs(30_000)).toBe(3_000);
    expect(defaultMarginMs(5_000)).toBe(1_000);
    expect(defaultMarginMs(600)).toBe(300);
    expect(defaultMarginMs(600_000)).toBe(60_000);
  });
});
