import { describe, expect, it } from "vitest";
import { createFaultController } from "../faults";
import { smallFleet } from "../testing";
import { buildProfile, hoverTemperatureC, samplePoints } from "./signals";

// The temperature-hover fault: a board swinging around a level (e.g. an 80 °C
// alert threshold), so alert hysteresis can be shown to fire once, not per crossing.

const fleet = smallFleet();
const site = fleet.sites.find((s) => s.kind === "store");
const cluster = site?.clusters[0];
const node = cluster?.nodes[0];

describe("temperature-hover fault", () => {
  it("is a node fault with defaults, and the controller reports it for that node only", () => {
    if (!site || !cluster || !node) throw new Error("small fleet has a store");
    let now = 1_000_000;
    const faults = createFaultController({ fleet, now: () => now, startedAt: now, isScheduleEnabled: false });
    faults.add({
      type: "temperature-hover",
      site: site.slug,
      cluster: cluster.name,
      node: node.name,
      params: { celsius: 80.5 },
    });
    expect(faults.hoverCelsius?.(site.slug, cluster.name, node.name)).toEqual({
      celsius: 80.5,
      amplitudeC: 3,
      periodMs: 60_000,
      startedAtMs: 1_000_000,
    });
    const other = cluster.nodes[1]?.name ?? "none";
    expect(faults.hoverCelsius?.(site.slug, cluster.name, other)).toBeNull();
    expect(() =>
      faults.add({ type: "temperature-hover", site: site.slug, params: { celsius: 500 } }),
    ).toThrow(/celsius/);
    faults.clear();
    now += 1;
    expect(faults.hoverCelsius?.(site.slug, cluster.name, node.name)).toBeNull();
  });

  it("swings within center ± amplitude and crosses the center on every swing", () => {
    if (!node || !site || !cluster) throw new Error("small fleet has a store");
    const profile = buildProfile({
      site: site.slug,
      siteKind: "store",
      cluster: cluster.name,
      node: node.name,
      isTurbine: false,
      seed: 7,
    });
    const hover = { celsius: 80.5, amplitudeC: 2.5, periodMs: 60_000, startedAtMs: 0 };
    const values = Array.from({ length: 120 }, (_, i) => hoverTemperatureC(profile, i * 5_000, hover));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(78);
    expect(Math.max(...values)).toBeLessThanOrEqual(83);
    expect(Math.max(...values)).toBeGreaterThan(82);
    expect(Math.min(...values)).toBeLessThan(79);
    // Every minute (one period) has readings both above and below 80 °C.
    for (let minute = 0; minute < 10; minute++) {
      const chunk = values.slice(minute * 12, minute * 12 + 12);
      expect(chunk.some((v) => v > 80)).toBe(true);
      expect(chunk.some((v) => v < 80)).toBe(true);
    }
    const [temp] = samplePoints(profile, 15_000, 0, false, hover);
    expect(temp?.floats?.temp).toBe(hoverTemperatureC(profile, 15_000, hover));
  });
});
