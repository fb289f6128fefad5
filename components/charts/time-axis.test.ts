import { describe, expect, it } from "vitest";
import { TIME_LABEL_PX, tickCountFor, timeTicks } from "./time-axis";

const H = 3_600_000;

describe("time ticks", () => {
  it("uses round steps within the tick budget, inside the range, in order", () => {
    const from = Date.UTC(2026, 0, 15, 10, 7);
    for (const [span, max] of [
      [15 * 60_000, 6],
      [H, 6],
      [24 * H, 8],
      [7 * 24 * H, 8],
    ] as const) {
      const ticks = timeTicks(from, from + span, max);
      expect(ticks.length).toBeGreaterThan(0);
      expect(ticks.length).toBeLessThanOrEqual(max);
      for (const t of ticks) {
        expect(t.t).toBeGreaterThanOrEqual(from);
        expect(t.t).toBeLessThanOrEqual(from + span);
        expect(t.x).toBeGreaterThanOrEqual(0);
        expect(t.x).toBeLessThanOrEqual(1);
        expect(t.label).not.toBe("");
      }
      const steps = ticks.slice(1).map((t, i) => t.t - (ticks[i]?.t ?? 0));
      expect(new Set(steps).size).toBeLessThanOrEqual(1);
    }
  });

  it("a day at 8 ticks steps every 3 or 4 hours on whole hours", () => {
    const from = Date.UTC(2026, 0, 15, 10, 7);
    const ticks = timeTicks(from, from + 24 * H, 8);
    const step = (ticks[1]?.t ?? 0) - (ticks[0]?.t ?? 0);
    expect(step).toBe(3 * H);
    expect((ticks[0]?.t ?? 0) % 60_000).toBe(0);
  });

  it("answers nothing for an empty range", () => {
    expect(timeTicks(10, 10, 5)).toEqual([]);
    expect(timeTicks(10, 20, 0)).toEqual([]);
  });
});

describe("tickCountFor", () => {
  it("gives each label its room, and an axis at least its two ends", () => {
    expect(tickCountFor(TIME_LABEL_PX * 9 + TIME_LABEL_PX - 1)).toBe(9);
    expect(tickCountFor(TIME_LABEL_PX * 10)).toBe(10);
    expect(tickCountFor(TIME_LABEL_PX)).toBe(2);
    expect(tickCountFor(0)).toBe(2);
  });
});
