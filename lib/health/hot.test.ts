import { describe, expect, it } from "vitest";
import { isHot, isReadingCurrent } from "./hot";
import { TELEMETRY_STALE_MS } from "./model";

const now = Date.parse("2026-06-01T12:00:00Z");

describe("hot", () => {
  it("is a current reading above the threshold", () => {
    expect(isHot({ tempC: 81, atMs: now - 10_000 }, 80, now)).toBe(true);
    expect(isHot({ tempC: 80, atMs: now - 10_000 }, 80, now)).toBe(false);
    expect(isHot({ tempC: null, atMs: now }, 80, now)).toBe(false);
  });

  it("is never an old reading, however high", () => {
    expect(isHot({ tempC: 95, atMs: now - TELEMETRY_STALE_MS }, 80, now)).toBe(true);
    expect(isHot({ tempC: 95, atMs: now - TELEMETRY_STALE_MS - 1 }, 80, now)).toBe(false);
    expect(isHot({ tempC: 95, atMs: null }, 80, now)).toBe(false);
    expect(isReadingCurrent(null, now)).toBe(false);
  });
});
