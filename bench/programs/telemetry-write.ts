// Throughput benchmark for the telemetry writer against a real local influxd.
// Run: npx tsx bench/programs/telemetry-write.ts [--nodes 10000] [--seconds 15] [--backfill-nodes 2000]
//        [--hours 1] [--realtime-seconds 20]

import { backfill, startTelemetry } from "@/lib/simulator/telemetry";
import type { TelemetryFaults, TelemetryNode } from "@/lib/simulator/telemetry/contract";
import { createDatabase, queryInflux, startInfluxd } from "@/lib/testing/influxd";

const INTERVAL_MS = 10_000;

/** A fleet shaped like the field notes: mostly 3-node stores, some wind farms, trucks, factories. */
function benchFleet(count: number): TelemetryNode[] {
  const nodes: TelemetryNode[] = [];
  let siteIndex = 0;
  while (nodes.length < count) {
    const roll = siteIndex % 10;
    if (roll < 6) {
      for (let i = 0; i < 3; i++) {
        nodes.push({
          site: `store-${siteIndex}`,
          siteKind: "store",
          cluster: "k3s",
          node: `store-${siteIndex}-n${i}`,
          isTurbine: false,
          seed: nodes.length,
        });
      }
    } else if (roll < 8) {
      nodes.push({
        site: `wf-${siteIndex}`,
        siteKind: "wind-farm",
        cluster: "control",
        node: `wf-${siteIndex}-ctl`,
        isTurbine: false,
        seed: nodes.length,
      });
      for (let i = 0; i < 40; i++) {
        const name = `wf-${siteIndex}-t${String(i).padStart(2, "0")}`;
        nodes.push({
          site: `wf-${siteIndex}`,
          siteKind: "wind-farm",
          cluster: name,
          node: name,
          isTurbine: true,
          seed: nodes.length,
        });
      }
    } else if (roll < 9) {
      nodes.push({
        site: `truck-${siteIndex}`,
        siteKind: "vehicle",
        cluster: "k3s",
        node: `truck-${siteIndex}`,
        isTurbine: false,
        seed: nodes.length,
      });
    } else {
      for (let i = 0; i < 3; i++) {
        nodes.push({
          site: `plant-${siteIndex}`,
          siteKind: "factory",
          cluster: "line",
          node: `plant-${siteIndex}-n${i}`,
          isTurbine: false,
          seed: nodes.length,
        });
      }
    }
    siteIndex++;
  }
  return nodes.slice(0, count);
}

const NO_FAULTS: TelemetryFaults = {
  isUplinkDown: () => false,
  isTelemetryBroken: () => false,
  overheatCelsius: () => 0,
  isNodeDown: () => false,
};

export interface BenchOptions {
  /** nodes for the sustained live-path measurement */
  nodes?: number;
  /** wall-clock seconds to keep the live path saturated */
  seconds?: number;
  backfillNodes?: number;
  backfillHours?: number;
  /** wall-clock seconds of real-time operation (real clock, real ticker) for `nodes` */
  realTimeSeconds?: number;
  log?: (line: string) => void;
}

export interface BenchResult {
  sustained: { nodes: number; points: number; seconds: number; pointsPerSecond: number; requests: number };
  backfill: {
    nodes: number;
    hours: number;
    points: number;
    seconds: number;
    pointsPerSecond: number;
    requests: number;
  };
  /** points/s the fleet produces in real time at a 10 s interval, for comparison */
  realTimeDemand: { nodes: number; pointsPerSecond: number };
  /** the fleet on the real ticker: CPU share of this process and the backlog at the end */
  realTime: { nodes: number; seconds: number; points: number; cpuPercent: number; maxQueued: number };
}

async function countPoints(url: string, database: string): Promise<number> {
  let total = 0;
  for (const [measurement, field] of [
    ["temp", "temp"],
    ["ping", "result_code"],
    ["turbine", "power_kw"],
  ] as const) {
    const result = await queryInflux(url, `SELECT count(${field}) FROM ${measurement}`, { db: database });
    total += Number(result.results[0]?.series?.[0]?.values?.[0]?.[1] ?? 0);
  }
  return total;
}

async function benchTelemetry(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const liveNodes = options.nodes ?? 10_000;
  const seconds = options.seconds ?? 15;
  const backfillNodes = options.backfillNodes ?? 2_000;
  const backfillHours = options.backfillHours ?? 1;
  const influx = await startInfluxd();
  try {
    // Backfill: hours of 10 s history, as the demo does on start.
    await createDatabase(influx.url, "bench_backfill");
    const fleet = benchFleet(backfillNodes);
    const toMs = Math.floor(Date.now() / 1000) * 1000;
    const fromMs = toMs - backfillHours * 3_600_000;
    const filled = await backfill(
      { influxUrl: influx.url, database: "bench_backfill", intervalMs: INTERVAL_MS, nodes: fleet },
      fromMs,
      toMs,
    );
    const stored = await countPoints(influx.url, "bench_backfill");
    if (stored !== filled.points)
      throw new Error(`backfill wrote ${filled.points} points but InfluxDB holds ${stored}`);
    const backfillResult = {
      nodes: backfillNodes,
      hours: backfillHours,
      points: filled.points,
      seconds: filled.elapsedMs / 1000,
      pointsPerSecond: filled.points / (filled.elapsedMs / 1000),
      requests: filled.requests,
    };
    log(
      `backfill: ${backfillNodes} nodes × ${backfillHours} h of 10 s points = ${filled.points} points in ` +
        `${backfillResult.seconds.toFixed(1)} s (${Math.round(backfillResult.pointsPerSecond)} points/s, ${filled.requests} requests)`,
    );

    // Sustained: drive the live path (shared ticker, store-and-forward checks, one request in
    // flight) as fast as it goes by advancing its clock one interval per step.
    await createDatabase(influx.url, "bench_live");
    const liveFleet = benchFleet(liveNodes);
    const clock = { now: toMs };
    const handle = startTelemetry({
      influxUrl: influx.url,
      database: "bench_live",
      intervalMs: INTERVAL_MS,
      nodes: liveFleet,
      faults: NO_FAULTS,
      now: () => clock.now,
      tickMs: 0,
    });
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      clock.now += INTERVAL_MS;
      await handle.flush();
    }
    const elapsed = (performance.now() - started) / 1000;
    const stats = handle.stats();
    await handle.stop();
    const liveStored = await countPoints(influx.url, "bench_live");
    if (liveStored !== stats.pointsWritten) {
      throw new Error(`live path wrote ${stats.pointsWritten} points but InfluxDB holds ${liveStored}`);
    }
    const perInterval = liveFleet.reduce((sum, node) => sum + (node.isTurbine ? 3 : 2), 0);
    const sustained = {
      nodes: liveNodes,
      points: stats.pointsWritten,
      seconds: elapsed,
      pointsPerSecond: stats.pointsWritten / elapsed,
      requests: stats.writeRequests,
    };
    const realTimeDemand = { nodes: liveNodes, pointsPerSecond: perInterval / (INTERVAL_MS / 1000) };
    log(
      `sustained live path: ${liveNodes} nodes, ${stats.pointsWritten} points in ${elapsed.toFixed(1)} s = ` +
        `${Math.round(sustained.pointsPerSecond)} points/s (${stats.writeRequests} requests); ` +
        `real time at 10 s needs ${Math.round(realTimeDemand.pointsPerSecond)} points/s`,
    );

    // Real time: the same fleet on the wall clock and the shared ticker, as the demo runs it.
    await createDatabase(influx.url, "bench_realtime");
    const realTimeSeconds = options.realTimeSeconds ?? 20;
    const realTimeHandle = startTelemetry({
      influxUrl: influx.url,
      database: "bench_realtime",
      intervalMs: INTERVAL_MS,
      nodes: liveFleet,
      faults: NO_FAULTS,
    });
    const cpuBefore = process.cpuUsage();
    const wallBefore = performance.now();
    let maxQueued = 0;
    while (performance.now() - wallBefore < realTimeSeconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      maxQueued = Math.max(maxQueued, realTimeHandle.stats().pointsQueued);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const wall = (performance.now() - wallBefore) / 1000;
    await realTimeHandle.stop();
    const realTime = {
      nodes: liveNodes,
      seconds: wall,
      points: realTimeHandle.stats().pointsWritten,
      cpuPercent: ((cpu.user + cpu.system) / 1e6 / wall) * 100,
      maxQueued,
    };
    log(
      `real time: ${liveNodes} nodes for ${wall.toFixed(0)} s wrote ${realTime.points} points using ` +
        `${realTime.cpuPercent.toFixed(1)}% of one core; largest backlog ${maxQueued} points`,
    );
    return { sustained, backfill: backfillResult, realTimeDemand, realTime };
  } finally {
    await influx.stop();
  }
}

function argument(name: string): number | undefined {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : Number.NaN;
  return Number.isFinite(value) ? value : undefined;
}

benchTelemetry({
  nodes: argument("nodes"),
  seconds: argument("seconds"),
  backfillNodes: argument("backfill-nodes"),
  backfillHours: argument("hours"),
  realTimeSeconds: argument("realtime-seconds"),
}).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
