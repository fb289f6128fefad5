import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { fleetHealth, siteDetail } from "@/lib/fleet/health";
import { clearQueryCache } from "@/lib/influx/client";
import { telemetryNodes } from "@/lib/simulator/fleet";
import {
  type OutpostTelemetryHandle,
  startTelemetry,
  type TelemetryFaults,
  type TelemetryNode,
} from "@/lib/simulator/telemetry";
import { smallFleet, waitFor } from "@/lib/simulator/testing";
import { createDatabase, type InfluxdInstance, startInfluxd } from "@/lib/testing/influxd";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { createDataSource } from "../data-sources";
import { hottestNodes, telemetryForSites } from "../read";
import { siteChart } from "../site-charts";
import { forgetRegistry } from "./join";
import { TelemetryTick } from "./service";
import { loadAllNodes, loadStatuses } from "./store";

// The tick against a real influxd fed by the simulator's telemetry writer on the
// wall clock: plain-point ticks after a catch-up, a window max that catches a
// spike, wrong clocks (2 h ahead, booted in 1970) found and named, and an
// InfluxDB stopped with SIGSTOP turning telemetry "unknown" within a bound while
// every health call stays fast.

const SAMPLE_MS = 500;
const TICK_MS = 1_000;
const DB = "telegraf";
const SOURCE_TIMEOUT_MS = 10_000;
/** Far below what a call waiting on a stopped InfluxDB takes (≥ 5 s), far above a busy machine's jitter. */
const NOT_WAITING_MS = 2_500;

class Faults implements TelemetryFaults {
  offsets = new Map<string, number>();
  overheat = new Map<string, number>();
  isUplinkDown() {
    return false;
  }
  isTelemetryBroken() {
    return false;
  }
  overheatCelsius(_s: string, _c: string, node: string) {
    return this.overheat.get(node) ?? 0;
  }
  isNodeDown() {
    return false;
  }
  clockOffsetMs(_s: string, _c: string, node: string) {
    return this.offsets.get(node) ?? 0;
  }
}

let cleanup: () => Promise<void>;
let influx: InfluxdInstance;
let writer: OutpostTelemetryHandle;
const faults = new Faults();
const fleet = smallFleet();
const nodes: TelemetryNode[] = telemetryNodes(fleet);

function nodeOf(site: string, index = 0): TelemetryNode {
  const n = nodes.filter((x) => x.site === site)[index];
  if (!n) throw new Error(`no node ${index} at ${site}`);
  return n;
}

beforeAll(async () => {
  cleanup = (
    await useTempDataDir({
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_TELEMETRY_TICK_SECONDS: String(TICK_MS / 1000),
    })
  ).cleanup;
  influx = await startInfluxd();
  await createDatabase(influx.url, DB);
  for (const s of fleet.sites) {
    await db().site.create({
      data: {
        slug: s.slug,
        name: s.name,
        kind: s.kind,
        clusters: {
          create: s.clusters.map((c, i) => ({
            name: c.name,
            server: `https://10.1.${s.slug.length}.${i + 1}:6443`,
            contextName: c.name,
            authKind: "token",
            kubeconfigEnc: "unused",
          })),
        },
      },
    });
  }
  await createDataSource({ name: "Telegraf", url: influx.url, database: DB, timeoutMs: SOURCE_TIMEOUT_MS });
  writer = startTelemetry({
    influxUrl: influx.url,
    database: DB,
    intervalMs: SAMPLE_MS,
    nodes,
    faults,
    tickMs: 100,
  });
  forgetRegistry();
});

afterAll(async () => {
  await writer?.stop();
  await influx?.stop();
  await cleanup?.();
});

async function nodeRow(host: string) {
  return (await loadAllNodes()).find((n) => n.host === host);
}

describe("telemetry tick against a live writer", () => {
  it("catches up once, then reads plain points tick by tick, one request per source", async () => {
    const tick = new TelemetryTick({ tickMs: TICK_MS });
    await waitFor(() => writer.stats().pointsWritten >= nodes.length * 4 || undefined, 20_000);
    const [first] = await tick.runOnce();
    expect(first).toMatchObject({ isOk: true, hosts: nodes.length, tickSeq: 1 });
    expect((await loadStatuses())[0]).toMatchObject({ lastMode: "catch-up", hosts: nodes.length });
    await new Promise((r) => setTimeout(r, SAMPLE_MS * 2));
    const [second] = await tick.runOnce();
    expect(second).toMatchObject({ isOk: true, tickSeq: 2 });
    const status = (await loadStatuses())[0];
    expect(status?.lastMode).toBe("raw");
    const rows = await loadAllNodes();
    expect(rows).toHaveLength(nodes.length);
    for (const r of rows) {
      expect(r.siteId).not.toBeNull();
      expect(r.clusterId).not.toBeNull();
      expect(Date.now() - (r.tempAt ?? 0)).toBeLessThan(10_000);
      expect(r.windowMaxC).not.toBeNull();
      expect(r.lossPct).not.toBeNull();
      expect(r.skewMs).toBeNull();
    }
    const { status: fleetStatus } = await telemetryForSites(
      await db().site.findMany({ include: { clusters: true } }),
    );
    expect(fleetStatus).toMatchObject({ state: "ok", dataSources: 1 });
  });

  it("sees a short spike in the window max although the latest reading is normal again", async () => {
    const tick = new TelemetryTick({ tickMs: TICK_MS });
    const hot = nodeOf("store-alpha-01", 1);
    await tick.runOnce();
    faults.overheat.set(hot.node, 60);
    const spikeFrom = Date.now();
    await waitFor(async () => {
      await tick.runOnce();
      const r = await nodeRow(hot.node);
      return r && (r.tempAt ?? 0) > spikeFrom && (r.tempC ?? 0) > 90 ? r : undefined;
    }, 20_000);
    faults.overheat.delete(hot.node);
    const coolFrom = Date.now();
    // The first tick after the spike: the latest is cool, the window still holds the hot point.
    const r = await waitFor(async () => {
      await tick.runOnce();
      const row = await nodeRow(hot.node);
      return row && (row.tempAt ?? 0) > coolFrom && (row.tempC ?? 0) < 90 ? row : undefined;
    }, 20_000);
    expect(r.windowMaxC).toBeGreaterThan(90);
  });

  it("names a board two hours ahead and one booted in 1970, and never shows their points as current", async () => {
    const tick = new TelemetryTick({ tickMs: TICK_MS });
    await tick.runOnce();
    const ahead = nodeOf("store-alpha-01", 0);
    const booted = nodeOf("store-beta-01", 0);
    faults.offsets.set(ahead.node, 2 * 3_600_000);
    // Booted a minute ago with no real-time clock: it reads 1970-01-01T00:01 and counts up from there
    // (the writer drops what such a board would have dated before 1970-01-01).
    const bootedAt = Date.now();
    faults.offsets.set(booted.node, -(bootedAt - 60_000));
    // Found within a few ticks: silent in the window first, then probed.
    await waitFor(async () => {
      await tick.runOnce();
      const [a, b] = await Promise.all([nodeRow(ahead.node), nodeRow(booted.node)]);
      return a?.skewMs && b?.skewMs ? true : undefined;
    }, 20_000);
    const a = await nodeRow(ahead.node);
    expect(Math.abs((a?.skewMs ?? 0) - 2 * 3_600_000)).toBeLessThan(10_000);
    expect(Date.now() - (a?.tempAt ?? 0)).toBeGreaterThan(0);
    expect(a?.tempAt ?? 0).toBeLessThan(Date.now() + 60_000);
    const b = await nodeRow(booted.node);
    // What the board's clock reads now, by the measured skew: a minute plus the time since it "booted".
    const boardClock = Date.now() + (b?.skewMs ?? Number.NaN);
    expect(boardClock).toBeGreaterThanOrEqual(0);
    expect(boardClock).toBeLessThanOrEqual(Date.now() - bootedAt + 60_000);
    expect(new Date(boardClock).getUTCFullYear()).toBe(1970);

    const alpha = await siteDetail("store-alpha-01");
    expect(alpha.health.reasons.map((x) => x.sentence)).toContain(`Clock wrong on ${ahead.node} (+2 h)`);
    const beta = await siteDetail("store-beta-01");
    // The one-node store has no plausible telemetry left at all: that is stale telemetry.
    expect(beta.health.reasons[0]).toMatchObject({
      code: "telemetry-clock",
      sentence: `Clock wrong on ${booted.node} (clock at 1970)`,
    });
    expect(beta.health.axes.telemetry).toBe("stale");
    const chart = await siteChart("store-alpha-01", { view: "temperature", range: "15m", width: 500 });
    if (chart.view !== "temperature") throw new Error("temperature view expected");
    expect(chart.clocks).toEqual([{ host: ahead.node, skewMs: a?.skewMs }]);
    expect(chart.lines.length).toBeGreaterThan(0);
    for (const s of chart.lines) for (const p of s.points) expect(p.t).toBeLessThan(Date.now() + 3 * 60_000);

    faults.offsets.clear();
    await waitFor(async () => {
      await tick.runOnce();
      const [x, y] = await Promise.all([nodeRow(ahead.node), nodeRow(booted.node)]);
      return x?.skewMs === null && y?.skewMs === null ? true : undefined;
    }, 20_000);
  });
});

describe("InfluxDB stopped (SIGSTOP)", () => {
  it("turns telemetry unknown within the deadline, and no health call waits on InfluxDB", async () => {
    const tick = new TelemetryTick({ tickMs: TICK_MS });
    await tick.start();
    try {
      const alpha = await db().site.findUniqueOrThrow({ where: { slug: "store-alpha-01" } });
      await waitFor(async () => {
        const h = await siteDetail(alpha.id);
        return h.telemetry.state === "ok" && h.health.axes.telemetry === "ok" ? true : undefined;
      }, 20_000);
      process.kill(influx.pid, "SIGSTOP");
      const stoppedAt = Date.now();
      const timings: number[] = [];
      const timed = async <T>(f: () => Promise<T>) => {
        const started = performance.now();
        const value = await f();
        timings.push(performance.now() - started);
        return value;
      };
      try {
        const unknownAt = await waitFor(
          async () => {
            const [fleet, site, hottest] = await Promise.all([
              timed(() => fleetHealth()),
              timed(() => siteDetail(alpha.id)),
              timed(() => hottestNodes(5)),
            ]);
            const isUnknown =
              fleet.telemetry.state === "unavailable" &&
              site.telemetry.state === "unavailable" &&
              site.health.axes.telemetry === "unknown" &&
              hottest.unavailable !== null &&
              hottest.items.length === 0;
            return isUnknown ? Date.now() : undefined;
          },
          30_000,
          200,
        );
        // Bound: the deadline (2 ticks + 5 s) plus one tick to notice, on a busy machine.
        expect(unknownAt - stoppedAt).toBeLessThan(2 * TICK_MS + 5_000 + 5_000);
        const site = await siteDetail(alpha.id);
        expect(site.telemetry).toMatchObject({
          state: "unavailable",
          message: expect.stringMatching(/^InfluxDB not answering for \d+ s/),
        });
        // Nothing of the last good answer is served as current, and no call waited on InfluxDB:
        // one that did would sit for the source's timeout (SOURCE_TIMEOUT_MS) or the chart deadline
        // (5 s). The bound tells the two apart on a loaded machine; the speed goal lives in the bench.
        expect(Math.max(...timings)).toBeLessThan(NOT_WAITING_MS);
        clearQueryCache();
        const chartStarted = performance.now();
        const chart = await siteChart(alpha.id, { view: "temperature", range: "1h", width: 500 });
        expect(performance.now() - chartStarted).toBeLessThan(NOT_WAITING_MS);
        expect(chart.unavailable?.message).toMatch(/InfluxDB not answering/);
      } finally {
        process.kill(influx.pid, "SIGCONT");
      }
      // Back: the next ticks catch up and telemetry is current again.
      await waitFor(async () => {
        const h = await siteDetail(alpha.id);
        return h.telemetry.state === "ok" && h.health.axes.telemetry === "ok" ? true : undefined;
      }, 30_000);
    } finally {
      await tick.stop();
    }
  });
});
