import { describe, expect, it } from "vitest";
import type { SiteTelemetryInput, TelemetryHostInput } from "@/lib/health/types";
import { changedTelemetrySites } from "./marks";

const T = Date.parse("2026-12-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

function input(hosts: Partial<TelemetryHostInput>[]): SiteTelemetryInput {
  return {
    warnCelsius: 80,
    isExpected: false,
    lookbackMs: 86_400_000,
    hosts: hosts.map((h, i) => ({
      host: `n${i}`,
      clusterId: null,
      lastPointAt: iso(T - 5_000),
      tempC: 55,
      tempAt: iso(T - 5_000),
      pingAt: iso(T - 5_000),
      lossPct: 0,
      ...h,
    })),
  };
}

describe("changedTelemetrySites", () => {
  it("marks every site when nothing is known yet, then only sites whose telemetry state moved", () => {
    const first = changedTelemetrySites(
      null,
      ["a", "b", "c"],
      new Map([
        ["a", input([{}])],
        ["b", input([{}])],
      ]),
      T,
    );
    expect(first.changed).toEqual(["a", "b", "c"]);
    const next = changedTelemetrySites(
      first.keys,
      ["a", "b", "c"],
      new Map([
        // a: a new reading 0.4 °C warmer, 10 s later: nothing the model says changes.
        ["a", input([{ tempC: 55.4, tempAt: iso(T + 5_000), lastPointAt: iso(T + 5_000) }])],
        // b: its node turned hot.
        ["b", input([{ tempC: 84, tempAt: iso(T + 5_000), lastPointAt: iso(T + 5_000) }])],
      ]),
      T + 10_000,
    );
    expect(next.changed).toEqual(["b"]);
  });

  it("marks a node going silent, a wrong clock, and a hot node's new temperature", () => {
    const hot = input([{ tempC: 84 }]);
    const base = changedTelemetrySites(null, ["s"], new Map([["s", hot]]), T).keys;
    const silent = input([{ lastPointAt: iso(T - 4 * 60_000), tempAt: iso(T - 4 * 60_000) }]);
    expect(changedTelemetrySites(base, ["s"], new Map([["s", silent]]), T).changed).toEqual(["s"]);
    const skewed = input([{ tempC: 84, clockSkewMs: 7_200_000 }]);
    expect(changedTelemetrySites(base, ["s"], new Map([["s", skewed]]), T).changed).toEqual(["s"]);
    const hotter = input([{ tempC: 86 }]);
    expect(changedTelemetrySites(base, ["s"], new Map([["s", hotter]]), T).changed).toEqual(["s"]);
  });
});
