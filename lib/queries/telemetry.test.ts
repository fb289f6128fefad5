import { describe, expect, it } from "vitest";
import { relativeRange } from "@/lib/telemetry/ranges";
import {
  chartWidthFor,
  DEFAULT_CHART_WIDTH,
  firstChartParams,
  parseChartWidth,
  roundWidth,
  telemetryKeys,
} from "./telemetry";

describe("the first chart view the server starts with a site page", () => {
  it("accepts only a width roundWidth could have produced", () => {
    expect(parseChartWidth("1100")).toBe(1_100);
    expect(parseChartWidth(String(roundWidth(1_234)))).toBe(1_200);
    for (const bad of [undefined, "", "1234", "50", "99999", "1e3x", "-100", "1100.5"])
      expect(parseChartWidth(bad)).toBeNull();
  });

  it("assumes on a first visit the width a full-width site page measures", () => {
    // .page is 1,200 px with 20 px padding each side; the node names take 140 px of it.
    expect(roundWidth(1_200 - 2 * 20 - 140)).toBe(DEFAULT_CHART_WIDTH);
    expect(parseChartWidth(String(DEFAULT_CHART_WIDTH))).toBe(DEFAULT_CHART_WIDTH);
  });

  it("keeps the streamed view's width only while the plot is close to it", () => {
    expect(chartWidthFor(1_000, 1_000)).toBe(1_000);
    expect(chartWidthFor(900, 1_000)).toBe(1_000);
    expect(chartWidthFor(1_200, 1_000)).toBe(1_000);
    // Far off: the plot's own width (the browser asks), never more than ~1.2 buckets per pixel.
    expect(chartWidthFor(800, 1_000)).toBe(800);
    expect(chartWidthFor(600, 1_000)).toBe(600);
    expect(chartWidthFor(1_300, 1_000)).toBe(1_300);
    expect(chartWidthFor(700, null)).toBe(700);
    expect(chartWidthFor(0, 1_000)).toBe(0);
  });

  it("has the query key of the temperature panel with nothing selected", () => {
    const server = telemetryKeys.siteChart("wf", firstChartParams("24h", 1_100));
    const browser = telemetryKeys.siteChart("wf", {
      range: "24h",
      width: 1_100,
      view: "temperature",
      hosts: [],
    });
    expect(server).toEqual(browser);
  });

  it("reads only relative ranges from the address", () => {
    expect(relativeRange("24h")).toBe("24h");
    expect(relativeRange("7d")).toBe("7d");
    for (const bad of ["custom", "toString", "", undefined, ["24h"], "24H"])
      expect(relativeRange(bad)).toBeNull();
  });
});
