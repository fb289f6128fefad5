import { describe, expect, it } from "vitest";
import type { SiteKind, TelemetryNode } from "./contract";
import {
  boardTemperatureC,
  buildProfile,
  PING_RESULT_OK,
  pingSample,
  sampleOffsetMs,
  samplePoints,
  turbineSample,
} from "./signals";
import { SiteBuffer } from "./site-buffer";

const DAY_START = Date.UTC(2025, 5, 1);
const HOUR = 3_600_000;

function fleet(kind: SiteKind, count: number, isTurbine = false): TelemetryNode[] {
  return Array.from({ length: count }, (_, index) => ({
    site: `${kind}-${index % 7}`,
    siteKind: kind,
    cluster: `c${index % 3}`,
    node: `${kind}-node-${index}`,
    isTurbine,
    seed: index * 7919 + 13,
  }));
}

/** One day of 10-minute samples. */
const DAY = Array.from({ length: 144 }, (_, index) => DAY_START + index * 600_000);

describe("board temperature", () => {
  const profiles = fleet("store", 400).map(buildProfile);

  it("puts Raspberry-Pi-class boards at 55–72 °C and a hot minority near 80 °C", () => {
    const pis = profiles.filter((p) => p.sensor === "cpu_thermal" && !p.isHotBoard);
    const hot = profiles.filter((p) => p.isHotBoard);
    expect(pis.length).toBeGreaterThan(200);
    expect(hot.length).toBeGreaterThan(10);
    expect(hot.length).toBeLessThan(pis.length / 3);
    for (const p of pis) {
      const median = DAY.map((t) => boardTemperatureC(p, t, 0)).sort((a, b) => a - b)[72] ?? 0;
      expect(median).toBeGreaterThan(50);
      expect(median).toBeLessThan(78);
    }
    const hotReadings = hot.flatMap((p) => DAY.map((t) => boardTemperatureC(p, t, 0)));
    const inBand = hotReadings.filter((value) => value >= 73 && value < 80).length;
    expect(inBand / hotReadings.length).toBeGreaterThan(0.8);
    expect(hotReadings.some((value) => value >= 79)).toBe(true);
  });

  it("follows a daily cycle by local hour", () => {
    let afternoon = 0;
    let night = 0;
    for (const p of profiles) {
      // Local 15:00 vs local 03:00 on the same day.
      const at = (localHour: number) => DAY_START + ((localHour - p.utcOffsetHours + 48) % 24) * HOUR;
      afternoon += boardTemperatureC(p, at(15), 0);
      night += boardTemperatureC(p, at(3), 0);
    }
    expect((afternoon - night) / profiles.length).toBeGreaterThan(2);
  });

  it("is deterministic and adds the overheat fault on top", () => {
    const [a, b] = fleet("store", 2).map(buildProfile);
    if (!a || !b) throw new Error("fleet");
    const t = DAY_START + 12_345_678;
    expect(boardTemperatureC(a, t, 0)).toBe(boardTemperatureC(buildProfile(a.node), t, 0));
    expect(boardTemperatureC(a, t, 0)).not.toBe(boardTemperatureC(b, t, 0));
    expect(boardTemperatureC(a, t, 12)).toBeCloseTo(boardTemperatureC(a, t, 0) + 12, 5);
  });
});

describe("ping", () => {
  const meanRtt = (kind: SiteKind) => {
    const values = fleet(kind, 60)
      .map(buildProfile)
      .flatMap((p) => DAY.map((t) => pingSample(p, t, false)))
      .filter((sample) => sample.ints.result_code === PING_RESULT_OK)
      .map((sample) => sample.floats.average_response_ms ?? Number.NaN);
    return values.reduce((sum, value) => sum + value, 0) / values.length;
  };

  it("has RTTs shaped by the site's link", () => {
    const store = meanRtt("store");
    const windFarm = meanRtt("wind-farm");
    const vehicle = meanRtt("vehicle");
    expect(store).toBeGreaterThan(20);
    expect(store).toBeLessThan(70);
    expect(windFarm).toBeGreaterThan(store);
    expect(windFarm).toBeLessThan(250);
    expect(vehicle).toBeGreaterThan(windFarm);
    expect(vehicle).toBeLessThan(1_000);
  });

  it("loses packets on vehicles far more often than in stores", () => {
    const lossRate = (kind: SiteKind) => {
      const samples = fleet(kind, 60)
        .map(buildProfile)
        .flatMap((p) => DAY.map((t) => pingSample(p, t, false)));
      return samples.filter((s) => (s.floats.percent_packet_loss ?? 0) > 0).length / samples.length;
    };
    expect(lossRate("vehicle")).toBeGreaterThan(3 * lossRate("store"));
  });
});

describe("turbine", () => {
  it("follows a power curve: nothing below cut-in, capped at rating, pitching out above rated wind", () => {
    const samples = fleet("wind-farm", 20, true)
      .map(buildProfile)
      .flatMap((p) => DAY.map((t) => ({ p, s: turbineSample(p, t) })));
    for (const { p, s } of samples) {
      const wind = s.wind_speed_ms ?? 0;
      const power = s.power_kw ?? 0;
      expect(power).toBeGreaterThanOrEqual(0);
      expect(power).toBeLessThanOrEqual(p.turbineRatedKw + 0.1);
      if (wind < 3) expect(power).toBe(0);
      if (wind > 13 && wind < 25) expect(s.pitch_deg).toBeGreaterThan(3);
      expect(s.generator_rpm).toBeCloseTo((s.rotor_rpm ?? 0) * p.gearRatio, -1);
      expect(s.yaw_deg).toBeGreaterThanOrEqual(0);
      expect(s.yaw_deg).toBeLessThan(360);
    }
    expect(samples.some(({ s }) => (s.power_kw ?? 0) > 500)).toBe(true);
  });

  it("is only emitted by turbine nodes", () => {
    const [turbine] = fleet("wind-farm", 1, true).map(buildProfile);
    const [controller] = fleet("wind-farm", 1, false).map(buildProfile);
    if (!turbine || !controller) throw new Error("fleet");
    expect(samplePoints(turbine, DAY_START, 0, false).map((p) => p.measurement)).toEqual([
      "temp",
      "ping",
      "turbine",
    ]);
    expect(samplePoints(controller, DAY_START, 0, false).map((p) => p.measurement)).toEqual(["temp", "ping"]);
  });
});

describe("scheduling and buffering", () => {
  it("spreads nodes across the interval", () => {
    const offsets = fleet("store", 1_000).map((n) => sampleOffsetMs(n, 10_000));
    const buckets = new Array(10).fill(0);
    for (const offset of offsets) buckets[Math.floor(offset / 1_000)]++;
    for (const bucket of buckets) expect(bucket).toBeGreaterThan(60);
  });

  it("keeps the newest lines in a full site buffer", () => {
    const buffer = new SiteBuffer(3);
    for (const line of ["a", "b", "c", "d", "e"]) buffer.push(line);
    expect(buffer.dropped).toBe(2);
    expect(buffer.drain()).toEqual(["c", "d", "e"]);
    expect(buffer.size).toBe(0);
    buffer.push("f");
    expect(buffer.drain()).toEqual(["f"]);
  });
});
