import { describe, expect, it } from "vitest";
import { bucketCount, chooseInterval, MAX_POINTS_PER_SERIES } from "./interval";
import { RANGE_MS } from "./schemas";

describe("chooseInterval", () => {
  it("gives about one bucket per pixel and never more than 1,000 per series", () => {
    for (const range of Object.values(RANGE_MS)) {
      for (const width of [100, 320, 800, 1_000, 1_920, 4_000]) {
        const interval = chooseInterval(range, width, 10);
        const now = Date.UTC(2025, 0, 15, 12, 0, 7, 123);
        expect(bucketCount(now - range, now, interval)).toBeLessThanOrEqual(
          Math.min(width, MAX_POINTS_PER_SERIES),
        );
      }
    }
  });

  it("never buckets finer than twice the sample period", () => {
    expect(chooseInterval(RANGE_MS["15m"], 1_000, 10)).toBe(20_000);
    expect(chooseInterval(RANGE_MS["15m"], 1_000, 1)).toBe(2_000);
  });

  it("picks round steps", () => {
    expect(chooseInterval(RANGE_MS["7d"], 1_000, 10)).toBe(15 * 60_000);
    expect(chooseInterval(RANGE_MS["24h"], 1_000, 10)).toBe(2 * 60_000);
    expect(chooseInterval(RANGE_MS["1h"], 600, 10)).toBe(10_000 * 2);
  });
});
