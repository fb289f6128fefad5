import { describe, expect, it } from "vitest";
import { backoffGapMs, DEFAULT_MAX_BACKOFF_MS, jitteredGapMs, RETRIES_BEFORE_BACKOFF } from "./backoff";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const INTERVAL = 15 * SECOND;

describe("backoff policy", () => {
  it("retries at the interval, then doubles per failure up to the cap", () => {
    expect(backoffGapMs(INTERVAL, 0, 5 * MINUTE)).toBe(INTERVAL);
    expect(backoffGapMs(INTERVAL, RETRIES_BEFORE_BACKOFF, 5 * MINUTE)).toBe(INTERVAL);
    expect(backoffGapMs(INTERVAL, RETRIES_BEFORE_BACKOFF + 1, 5 * MINUTE)).toBe(30 * SECOND);
    expect(backoffGapMs(INTERVAL, 5, 5 * MINUTE)).toBe(60 * SECOND);
    expect(backoffGapMs(INTERVAL, 10_000, 5 * MINUTE)).toBe(5 * MINUTE);
  });

  it("never waits less than the interval, even with a cap below it", () => {
    expect(backoffGapMs(10 * MINUTE, 8, 5 * MINUTE)).toBe(10 * MINUTE);
    expect(jitteredGapMs(10 * MINUTE, 8, 5 * MINUTE, 1)).toBe(10 * MINUTE);
  });

  it("jitters ±10 % on the interval and ±20 % while backing off, never past the cap", () => {
    expect(jitteredGapMs(INTERVAL, 0, DEFAULT_MAX_BACKOFF_MS, 0)).toBe(13_500);
    expect(jitteredGapMs(INTERVAL, 0, DEFAULT_MAX_BACKOFF_MS, 1)).toBe(16_500);
    expect(jitteredGapMs(INTERVAL, 5, DEFAULT_MAX_BACKOFF_MS, 0)).toBe(48 * SECOND);
    expect(jitteredGapMs(INTERVAL, 5, DEFAULT_MAX_BACKOFF_MS, 1)).toBe(72 * SECOND);
    expect(jitteredGapMs(INTERVAL, 30, DEFAULT_MAX_BACKOFF_MS, 1)).toBe(DEFAULT_MAX_BACKOFF_MS);
  });
});
