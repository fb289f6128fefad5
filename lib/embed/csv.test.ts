import { describe, expect, it } from "vitest";
import { embedCsv } from "./csv";
import type { ChartPayload } from "./types";

const chart: ChartPayload = {
  kind: "temperature",
  generatedAt: "2027-01-15T12:00:00.000Z",
  refreshMs: 10_000,
  oldAfterMs: 30_000,
  site: { slug: "farm", name: '=HYPERLINK("x")' },
  range: "1h",
  ranges: ["1h"],
  from: 0,
  to: 120_000,
  intervalMs: 60_000,
  unit: "°C",
  title: "Board temperature · farm",
  unavailable: null,
  series: [
    { id: "n1", label: "=cmd|' /C calc'!A0", unit: "°C", points: [{ t: 60_000, min: 1, mean: 2, max: 3 }] },
  ],
  latestAt: 60_000,
};

describe("embed CSV", () => {
  it("writes one row per point and defuses formula cells", () => {
    const csv = embedCsv(chart).split("\r\n");
    expect(csv[0]).toBe("time_utc,site,series,measure,unit,min,mean,max");
    expect(csv[1]).toBe("1970-01-01T00:01:00.000Z,farm,'=cmd|' /C calc'!A0,temperature,°C,1,2,3");
    expect(csv).toHaveLength(3);
  });
});
