import { describe, expect, it } from "vitest";
import { sourceCurrency, telemetryCurrentMs } from "./currency";
import type { SourceTickStatus } from "./types";

const T = Date.UTC(2026, 11, 1, 12, 0, 0);
const TICK = 10_000;

function status(o: Partial<SourceTickStatus>): SourceTickStatus {
  return {
    sourceId: "src",
    tickSeq: 1,
    lastTickAt: T,
    lastOkAt: T,
    lastErrorAt: null,
    lastErrorReason: null,
    lastErrorMessage: null,
    queryMs: 42,
    hosts: 3,
    windowFrom: T - 20_000,
    windowTo: T,
    lastMode: "raw",
    ...o,
  };
}

describe("sourceCurrency", () => {
  it("serves the stored answer with its age up to two ticks and a grace, not a millisecond longer", () => {
    const limit = telemetryCurrentMs(TICK);
    expect(limit).toBe(25_000);
    expect(sourceCurrency(status({}), T + limit, TICK)).toMatchObject({
      isCurrent: true,
      asOf: T,
      ageMs: limit,
    });
    expect(sourceCurrency(status({}), T + limit + 1, TICK)).toMatchObject({
      isCurrent: false,
      reason: "stale",
    });
  });

  it("says for how long InfluxDB has not answered, and why", () => {
    const stalled = status({
      lastTickAt: T + 40_000,
      lastErrorAt: T + 40_000,
      lastErrorReason: "timeout",
      lastErrorMessage: "InfluxDB did not answer within 5 s",
    });
    expect(sourceCurrency(stalled, T + 45_000, TICK)).toMatchObject({
      isCurrent: false,
      reason: "timeout",
      asOf: T,
      message: "InfluxDB not answering for 45 s: InfluxDB did not answer within 5 s",
    });
    // Still current while the last good answer is young, even if the latest attempt failed.
    expect(sourceCurrency(stalled, T + 20_000, TICK).isCurrent).toBe(true);
    const auth = status({
      lastOkAt: null,
      lastErrorAt: T,
      lastErrorReason: "auth",
      lastErrorMessage: "credentials rejected (HTTP 401)",
    });
    expect(sourceCurrency(auth, T + 1_000, TICK)).toMatchObject({
      reason: "auth",
      message:
        "InfluxDB failing (credentials rejected) since the worker started: credentials rejected (HTTP 401)",
    });
  });

  it("blames the tick, not InfluxDB, when nothing was tried lately, and says so before the first tick", () => {
    expect(sourceCurrency(status({}), T + 90_000, TICK)).toMatchObject({
      reason: "stale",
      message: "telemetry not updated for 1 m (telemetry tick not running)",
    });
    expect(sourceCurrency(null, T, TICK, "src")).toMatchObject({
      isCurrent: false,
      reason: "stale",
      asOf: null,
    });
  });
});
