// The telemetry tick at 10,000 nodes against a real influxd that the simulator's
// writer keeps feeding: what one tick costs (the one request per data source,
// reducing it, storing a row per host) side by side with today's way before the
// tick (the 15 min and 24 h GROUP BY queries every roll-up ran), in one run.
//
//   npx tsx --conditions=react-server bench/programs/telemetry-tick.ts [nodes]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchNodes } from "./telemetry-read";

const NODES = Number(process.argv[2] ?? 10_000);
const HISTORY_MS = 20 * 60_000;
const SAMPLE_MS = 10_000;
const TICK_MS = 10_000;
const RUNS = 8;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const line = (metric: string, value: string) =>
  process.stdout.write(`  ${"tick".padEnd(10)} ${metric.padEnd(48)} ${value}\n`);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "outpost-bench-tick-"));
  Object.assign(process.env, {
    OUTPOST_DATA_DIR: dataDir,
    OUTPOST_ALLOW_LOOPBACK: "1",
    OUTPOST_LOG_LEVEL: "error",
    OUTPOST_TELEMETRY_TICK_SECONDS: String(TICK_MS / 1000),
  });
  const { startInfluxd, createDatabase } = await import("@/lib/testing/influxd");
  const { backfill, startTelemetry } = await import("@/lib/simulator/telemetry");
  const { influxQuery, clearQueryCache } = await import("@/lib/influx/client");
  const { latestStatements, LATEST_WINDOW_MS, LOOKBACK_MS } = await import("@/lib/telemetry/queries");
  const { DEFAULT_MAPPING } = await import("@/lib/telemetry/schemas");
  const { createDataSource } = await import("@/lib/telemetry/data-sources");
  const { TelemetryTick } = await import("@/lib/telemetry/tick/service");
  const { insertRows } = await import("@/lib/testing/summary-fleet");
  const influx = await startInfluxd();
  const nodes = benchNodes(NODES);
  const faults = {
    isUplinkDown: () => false,
    isTelemetryBroken: () => false,
    overheatCelsius: () => 0,
    isNodeDown: () => false,
  };
  let writer: Awaited<ReturnType<typeof startTelemetry>> | undefined;
  try {
    await createDatabase(influx.url, "telegraf");
    const now = Date.now();
    const history = await backfill(
      { influxUrl: influx.url, database: "telegraf", intervalMs: SAMPLE_MS, nodes },
      now - HISTORY_MS,
      now,
    );
    line(
      `backfill ${NODES} nodes × ${HISTORY_MS / 60_000} min`,
      `${history.points.toLocaleString("en")} points`,
    );
    writer = startTelemetry({
      influxUrl: influx.url,
      database: "telegraf",
      intervalMs: SAMPLE_MS,
      nodes,
      faults,
    });
    // The registry the tick joins points to: one site per simulated site, one cluster per node's cluster.
    const stamp = new Date();
    const sites = [...new Set(nodes.map((n) => n.site))];
    await insertRows(
      "Site",
      sites.map((slug) => ({
        id: slug,
        slug,
        name: slug,
        kind: "store",
        createdAt: stamp,
        updatedAt: stamp,
      })),
    );
    const clusters = [...new Map(nodes.map((n) => [`${n.site}/${n.cluster}`, n])).values()];
    await insertRows(
      "Cluster",
      clusters.map((n, i) => ({
        id: `c${i}`,
        siteId: n.site,
        name: n.cluster,
        server: `https://10.${Math.floor(i / 250) % 250}.${i % 250}.1:6443`,
        contextName: n.cluster,
        authKind: "token",
        kubeconfigEnc: "unused",
        createdAt: stamp,
        updatedAt: stamp,
      })),
    );
    await createDataSource({ name: "Bench", url: influx.url, database: "telegraf", timeoutMs: 60_000 });

    const target = {
      key: "bench-today",
      url: influx.url,
      database: "telegraf",
      retentionPolicy: null,
      auth: { kind: "none" as const },
      timeoutMs: 120_000,
    };
    const today: number[] = [];
    for (let i = 0; i < 5; i++) {
      clearQueryCache();
      const t = performance.now();
      const [recent] = await Promise.all([
        influxQuery(target, latestStatements(DEFAULT_MAPPING, null, LATEST_WINDOW_MS), { cacheMs: 0 }),
        influxQuery(target, latestStatements(DEFAULT_MAPPING, null, LOOKBACK_MS), { cacheMs: 0 }),
      ]);
      if (!recent.ok) throw new Error(recent.message);
      today.push(performance.now() - t);
    }

    const tick = new TelemetryTick({ tickMs: TICK_MS });
    const catchUp = performance.now();
    const [first] = await tick.runOnce();
    line(
      "first tick (catch-up: last()/max() per series, 24 h)",
      `${(performance.now() - catchUp).toFixed(0)} ms (query ${first?.queryMs} ms, ${first?.hosts} hosts)`,
    );
    const query: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await new Promise((r) => setTimeout(r, TICK_MS));
      const t = performance.now();
      const [e] = await tick.runOnce();
      total.push(performance.now() - t);
      query.push(e?.queryMs ?? Number.NaN);
    }
    const ms = (v: number[]) => `${percentile(v, 50).toFixed(0)} / ${percentile(v, 95).toFixed(0)} ms`;
    line(`today: fleet-latest, 15 min + 24 h GROUP BY, ${NODES} nodes (p50 / p95)`, ms(today));
    line(`tick: the one InfluxDB request (p50 / p95 of ${RUNS})`, ms(query));
    line("tick: request + reduce + store a row per host (p50 / p95)", ms(total));
    line("InfluxDB requests per tick and data source, any number of screens", "1");
  } finally {
    await writer?.stop();
    await influx.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
