import { describe, expect, it } from "vitest";
import { type ChartSeries, seriesStats, seriesStyle, toRows } from "./time-series-chart";

const MIN = 60_000;
const series = (id: string, times: number[], value = 50): ChartSeries => ({
  id,
  label: id,
  unit: "°C",
  points: times.map((t) => ({ t, min: value - 1, mean: value, max: value + 1 })),
});

describe("toRows", () => {
  it("inserts a null after the last bucket before a gap so the line breaks", () => {
    const rows = toRows([series("a", [0, MIN, 2 * MIN, 10 * MIN, 11 * MIN])], MIN);
    expect(rows.map((r) => [r.t, r.s0])).toEqual([
      [0, 50],
      [MIN, 50],
      [2 * MIN, 50],
      [3 * MIN, null],
      [10 * MIN, 50],
      [11 * MIN, 50],
    ]);
    expect(rows[0]?.r0).toEqual([49, 51]);
  });

  it("merges series by time and converts units", () => {
    const rows = toRows([series("a", [0, MIN]), series("b", [MIN], 20)], MIN, (c) => (c * 9) / 5 + 32);
    expect(rows).toEqual([
      { t: 0, s0: 122, r0: [120.2, 123.8] },
      { t: MIN, s0: 122, r0: [120.2, 123.8], s1: 68, r1: [66.2, 69.8] },
    ]);
  });
});

describe("seriesStats", () => {
  it("reports latest, extremes from min/max and gaps", () => {
    const s = series("a", [0, MIN, 5 * MIN]);
    s.points[1] = { t: MIN, min: 10, mean: 50, max: 99 };
    expect(seriesStats(s, MIN)).toEqual({ latest: 50, latestAt: 5 * MIN, min: 10, max: 99, gaps: 1 });
  });
});

describe("seriesStyle", () => {
  it("never gives two of the first 64 series the same colour and dash", () => {
    const seen = new Set(Array.from({ length: 64 }, (_, i) => JSON.stringify(seriesStyle(i))));
    expect(seen.size).toBe(64);
  });
});
