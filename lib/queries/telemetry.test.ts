import { describe, expect, it } from "vitest";
import { relativeRange } from "@/lib/telemetry/ranges";
import { firstChartParams, parseChartWidth, roundWidth, telemetryKeys } from "./telemetry";

describe("the first chart view the server starts with a site page", () => {
  it("accepts only a width roundWidth could have produced", () => {
    expect(parseChartWidth("1100")).toBe(1_100);
    expect(parseChartWidth(String(roundWidth(1_234)))).toBe(1_200);
    for (const bad of [undefined, "", "1234", "50", "99999", "1e3x", "-100", "1100.5"])
      expect(parseChartWidth(bad)).toBeNull();
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
