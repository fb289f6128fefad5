// Telemetry read-path benchmark: a local influxd with backfilled Telegraf-shaped
// history, then the fleet-latest query (what every health roll-up runs) and the
// site chart query (what a site page runs), with the points each chart gets.
//
//   npx tsx bench/programs/telemetry-read.ts       # 2,000 nodes × 3 h, then 10,000 nodes × 30 min
//   OUTPOST_BENCH_TELEMETRY="500:1" npx tsx bench/programs/telemetry-read.ts   # nodes:hours[,nodes:hours…]
//
// Backfill dominates the run time (about 7 min per 10,000 node-hours on 2 cores).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TelemetryNode } from "@/lib/simulator/telemetry/contract";

export interface TelemetryBenchScenario {
  nodes: number;
  hours: number;
}

export interface TelemetryBenchResult {
  nodes: number;
  hours: number;
  pointsWritten: number;
  backfillSeconds: number;
  /** hosts fleet-latest returned */
  hostsSeen: number;
  fleetLatestMs: { recentMedian: number; lookbackMedian: number; bothCold: number };
  charts: {
    site: string;
    range: string;
    ms: number;
    series: number;
    maxPointsPerSeries: number;
    totalPoints: number;
  }[];
}

export const DEFAULT_SCENARIOS: TelemetryBenchScenario[] = [
  { nodes: 2_000, hours: 3 },
  { nodes: 10_000, hours: 0.5 },
];

const FARM_TURBINES = 20;
const INTERVAL_MS = 10_000;
const CHART_WIDTH = 1_000;
const WARM_RUNS = 5;

/** A 20-turbine wind farm plus two-node stores up to `count` nodes. */
export function benchNodes(count: number): TelemetryNode[] {
  const nodes: TelemetryNode[] = [];
  for (let i = 0; i < Math.min(FARM_TURBINES, count); i++) {
    const name = `wf-bench-1-t${String(i + 1).padStart(2, "0")}`;
    nodes.push({
      site: "wf-bench-1",
      siteKind: "wind-farm",
      cluster: name,
      node: name,
      isTurbine: true,
      seed: i + 1,
    });
  }
  for (let i = nodes.length; i < count; i++) {
    const store = Math.floor((i - FARM_TURBINES) / 2);
    const site = `store-bench-${String(store).padStart(5, "0")}`;
    nodes.push({
      site,
      siteKind: "store",
      cluster: "k3s",
      node: `${site}-n${i % 2}`,
      isTurbine: false,
      seed: i + 1,
    });
  }
  return nodes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function runTelemetryBench(
  scenarios: TelemetryBenchScenario[] = DEFAULT_SCENARIOS,
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<TelemetryBenchResult[]> {
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL ??= "warn";
  const { startInfluxd, createDatabase } = await import("@/lib/testing/influxd");
  const { backfill } = await import("@/lib/simulator/telemetry");
  const { clearQueryCache, influxQuery } = await import("@/lib/influx/client");
  const { chooseInterval } = await import("@/lib/telemetry/interval");
  const {
    connectivityChart,
    LATEST_WINDOW_MS,
    LOOKBACK_MS,
    latestStatements,
    temperatureChart,
    turbineChart,
  } = await import("@/lib/telemetry/queries");
  const { DEFAULT_MAPPING } = await import("@/lib/telemetry/schemas");

  const influx = await startInfluxd();
  const results: TelemetryBenchResult[] = [];
  try {
    for (const [n, scenario] of scenarios.entries()) {
      const database = `bench_${n}`;
      await createDatabase(influx.url, database);
      const nodes = benchNodes(scenario.nodes);
      const now = Date.now();
      const from = now - scenario.hours * 3_600_000;
      log(
        `\n== ${scenario.nodes.toLocaleString()} nodes × ${scenario.hours} h of ${INTERVAL_MS / 1000} s points`,
      );
      const written = await backfill(
        { influxUrl: influx.url, database, intervalMs: INTERVAL_MS, nodes },
        from,
        now,
      );
      log(
        `backfill: ${written.points.toLocaleString()} points in ${(written.elapsedMs / 1000).toFixed(0)} s (${Math.round(written.points / (written.elapsedMs / 1000)).toLocaleString()}/s)`,
      );
      const target = {
        key: `bench-${n}`,
        url: influx.url,
        database,
        retentionPolicy: null,
        auth: { kind: "none" as const },
        timeoutMs: 120_000,
      };
      const m = DEFAULT_MAPPING;
      const timed = async (statements: string[]) => {
        const started = performance.now();
        const r = await influxQuery(target, statements, { cacheMs: 0 });
        if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
        return { ms: performance.now() - started, result: r };
      };

      clearQueryCache();
      // Today's way before the telemetry tick: the 15 min and the 24 h windows, both in parallel.
      const coldStarted = performance.now();
      const [cold] = await Promise.all([
        timed(latestStatements(m, null, LATEST_WINDOW_MS)),
        timed(latestStatements(m, null, LOOKBACK_MS)),
      ]);
      const bothCold = performance.now() - coldStarted;
      const latest = { hosts: new Set((cold.result.statements[0] ?? []).map((s) => s.tags.host)) };
      const recent: number[] = [];
      const lookback: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) {
        recent.push((await timed(latestStatements(m, null, LATEST_WINDOW_MS))).ms);
        lookback.push((await timed(latestStatements(m, null, LOOKBACK_MS))).ms);
      }
      log(
        `fleet-latest (${latest.hosts.size.toLocaleString()} hosts): cold ${bothCold.toFixed(0)} ms (both windows in parallel); ` +
          `warm median: 15 min window ${median(recent).toFixed(0)} ms, 24 h lookback ${median(lookback).toFixed(0)} ms`,
      );

      const charts: TelemetryBenchResult["charts"] = [];
      const ranges: [string, number][] = [
        ["15m", 15 * 60_000],
        ["1h", 3_600_000],
        [`${scenario.hours}h (all)`, scenario.hours * 3_600_000],
      ];
      for (const site of ["wf-bench-1", "store-bench-00010"]) {
        const scope = { kind: "tag" as const, tag: m.siteTag, values: [site] };
        for (const [label, rangeMs] of ranges) {
          if (rangeMs > scenario.hours * 3_600_000 && !label.includes("all")) continue;
          const interval = chooseInterval(rangeMs, CHART_WIDTH, m.sampleSeconds);
          const to = Math.ceil(Date.now() / interval) * interval;
          const statements = [
            temperatureChart(m, null, scope, to - rangeMs, to, interval),
            connectivityChart(m, null, scope, to - rangeMs, to, interval),
            turbineChart(m, null, scope, to - rangeMs, to, interval),
          ].filter((q): q is string => q !== null);
          const runs: number[] = [];
          let last: Awaited<ReturnType<typeof timed>> | undefined;
          for (let i = 0; i < WARM_RUNS; i++) {
            last = await timed(statements);
            runs.push(last.ms);
          }
          const series = last?.result.statements.flat() ?? [];
          const maxPoints = series.reduce((a, s) => Math.max(a, s.values.length), 0);
          // Each row carries min/mean/max (and more for turbines): count chart points as rows × plotted lines.
          const total = series.reduce(
            (a, s) => a + s.values.length * Math.max(1, (s.columns.length - 1) / 3),
            0,
          );
          charts.push({
            site,
            range: label,
            ms: median(runs),
            series: series.length,
            maxPointsPerSeries: maxPoints,
            totalPoints: total,
          });
          log(
            `chart ${site} ${label} @${interval / 1000}s buckets: ${median(runs).toFixed(0)} ms, ${series.length} series, ` +
              `≤ ${maxPoints} points/series, ${Math.round(total).toLocaleString()} plotted points`,
          );
        }
      }
      results.push({
        nodes: scenario.nodes,
        hours: scenario.hours,
        pointsWritten: written.points,
        backfillSeconds: Math.round(written.elapsedMs / 1000),
        hostsSeen: latest.hosts.size,
        fleetLatestMs: {
          recentMedian: Math.round(median(recent)),
          lookbackMedian: Math.round(median(lookback)),
          bothCold: Math.round(bothCold),
        },
        charts,
      });
      // Free the disk and memory before the next, larger scenario.
      await influxQuery(target, [`DROP DATABASE "${database}"`], { cacheMs: 0 }).catch(() => undefined);
    }
  } finally {
    await influx.stop();
  }
  return results;
}

function parseScenarios(text: string | undefined): TelemetryBenchScenario[] {
  if (!text) return DEFAULT_SCENARIOS;
  return text.split(",").map((part) => {
    const [nodes, hours] = part.split(":").map(Number);
    if (!nodes || !hours) throw new Error(`bad scenario "${part}": use nodes:hours, e.g. 2000:3`);
    return { nodes, hours };
  });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  // Server modules refuse to load outside the react-server condition; re-run with it when started plainly.
  if (!process.execArgv.some((a) => a.includes("react-server"))) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, "--conditions=react-server", ...process.argv.slice(1)],
      {
        stdio: "inherit",
      },
    );
    process.exit(child.status ?? 1);
  }
  runTelemetryBench(parseScenarios(process.env.OUTPOST_BENCH_TELEMETRY))
    .then((results) => {
      process.stdout.write(`\n${JSON.stringify(results, null, 2)}\n`);
    })
    .catch((err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
