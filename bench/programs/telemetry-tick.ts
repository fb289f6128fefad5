// The telemetry tick at 10,000 nodes against a real influxd that the simulator's
// writer keeps feeding: what one tick costs (the one request per data source,
// reducing it, storing the rows that moved) by phase, side by side in one run
// with the tick writing its rows as multi-row VALUES statements (before the
// JSON writer), the tick rewriting every host row (before issue 13's
// incremental write) and the way before the tick (the 15 min and 24 h GROUP BY
// queries every roll-up ran); what a consumer pays to read the stored
// fleet-latest; and the store's two write paths (every row replaced, 40 % of
// the rows upserted) with either writer on SQLite and on PostgreSQL.
//
//   npx tsx --conditions=react-server bench/programs/telemetry-tick.ts [nodes]
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import type { RowWriter } from "@/lib/telemetry/tick/row-json";
import type { NodeLatest, SourceTickStatus } from "@/lib/telemetry/tick/types";
import { benchNodes } from "./telemetry-read";

const NODES = Number(process.argv[2] ?? 10_000);
const HISTORY_MS = 20 * 60_000;
const SAMPLE_MS = 10_000;
const TICK_MS = 10_000;
/** Ticks per way; the two ways take turns, so both see the same load and the same data. */
const RUNS = 8;
const READS = 20;
/** Rounds of the store-only write comparison, per writer and path. */
const WRITE_RUNS = 8;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const line = (metric: string, value: string) =>
  process.stdout.write(`  ${"tick".padEnd(10)} ${metric.padEnd(48)} ${value}\n`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const ms = (v: number[]) => `${percentile(v, 50).toFixed(0)} / ${percentile(v, 95).toFixed(0)} ms`;

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
  const { loadAllNodes, loadFleetReadings } = await import("@/lib/telemetry/tick/store");
  const { hottestNodes, telemetryForSites } = await import("@/lib/telemetry/read");
  const { db } = await import("@/lib/db/client");
  const { valuesRowWriter } = await import("../tick-values-writer");
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
    line("load average (1 / 5 / 15 min) before the ticks", load());
    // Every host reports every 10 s here, so every row moves each tick: all three ways replace every row.
    const ways = [
      { name: "rewrite every row, VALUES (before issue 13)", rewriteAll: true, rowWriter: valuesRowWriter },
      { name: "write what moved, VALUES statements (before)", rewriteAll: false, rowWriter: valuesRowWriter },
      { name: "write what moved, one JSON parameter (now)", rewriteAll: false, rowWriter: undefined },
    ] as const;
    const samples = new Map(
      ways.map((w) => [
        w.name,
        { total: [] as number[], rows: [] as number[], phases: new Map<string, number[]>() },
      ]),
    );
    for (let i = 0; i < ways.length * RUNS; i++) {
      await new Promise((r) => setTimeout(r, TICK_MS));
      const way = ways[i % ways.length];
      if (!way) throw new Error("no way");
      const t = performance.now();
      const [e] = await tick.runOnce({ rewriteAll: way.rewriteAll, rowWriter: way.rowWriter });
      const s = samples.get(way.name);
      if (!s || !e?.phasesMs) throw new Error("tick failed");
      s.total.push(performance.now() - t);
      s.rows.push(e.rowsWritten);
      for (const [phase, v] of Object.entries(e.phasesMs)) {
        const list = s.phases.get(phase) ?? [];
        list.push(v);
        s.phases.set(phase, list);
      }
    }
    line("load average after the ticks", load());
    line(`today: fleet-latest, 15 min + 24 h GROUP BY, ${NODES} nodes (p50 / p95)`, ms(today));
    for (const way of ways) {
      const s = samples.get(way.name);
      if (!s) continue;
      line(`tick, ${way.name}: whole tick (p50 / p95 of ${RUNS})`, ms(s.total));
      for (const [phase, v] of s.phases) line(`  ${phase}`, ms(v));
      line("  host rows written per tick (p50)", percentile(s.rows, 50).toFixed(0));
    }
    line("InfluxDB requests per tick and data source, any number of screens", "1");

    // What every consumer pays instead: reading what the tick stored.
    const allSites = await db().site.findMany({ include: { clusters: true } });
    const consumers: [string, () => Promise<unknown>][] = [
      ["read every stored host row, all 24 columns (before)", () => loadAllNodes()],
      ["read every stored host's readings, 12 columns (now)", () => loadFleetReadings()],
      ["hottest nodes (top 10 of the fleet)", () => hottestNodes(10)],
      [`telemetry inputs of all ${allSites.length} sites (health)`, () => telemetryForSites(allSites)],
    ];
    for (const [name, read] of consumers) {
      const times: number[] = [];
      for (let i = 0; i < READS; i++) {
        const t = performance.now();
        await read();
        times.push(performance.now() - t);
      }
      line(`consumer: ${name} (p50 / p95 of ${READS})`, ms(times));
    }
    line("load average after the consumer reads", load());

    // The store alone, both write paths, both writers taking turns, on SQLite and then on PostgreSQL.
    const { jsonRowWriter } = await import("@/lib/telemetry/tick/row-json");
    const stored = await loadAllNodes();
    await storeWrites("SQLite", stored, jsonRowWriter("sqlite"));
    const { startPostgres } = await import("@/lib/testing/postgres");
    const { resetEnvForTests } = await import("@/lib/env");
    const { resetDbForTests } = await import("@/lib/db/client");
    const postgres = await startPostgres();
    try {
      process.env.DATABASE_URL = await postgres.createDatabase("bench_tick");
      resetEnvForTests();
      await resetDbForTests();
      await storeWrites("PostgreSQL", stored, jsonRowWriter("postgresql"));
    } finally {
      await resetDbForTests();
      delete process.env.DATABASE_URL;
      resetEnvForTests();
      await postgres.stop();
    }
    line("load average at the end", load());
  } finally {
    await writer?.stop();
    await influx.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * writeTick on the configured database with each writer in turn: every row of a
 * source replaced (delete + insert), and 40 % of its rows moved (upserts).
 */
async function storeWrites(label: string, base: readonly NodeLatest[], json: RowWriter): Promise<void> {
  const { db } = await import("@/lib/db/client");
  const { valuesRowWriter } = await import("../tick-values-writer");
  const { writeTick } = await import("@/lib/telemetry/tick/store");
  const { nodeKey } = await import("@/lib/telemetry/tick/types");
  const sourceId = "bench-writes";
  await db().dataSource.create({
    data: { id: sourceId, name: sourceId, url: "http://127.0.0.1:1", database: "t", isDefault: false },
  });
  const status = (tickSeq: number): SourceTickStatus => ({
    sourceId,
    tickSeq,
    lastTickAt: Date.now(),
    lastOkAt: Date.now(),
    lastErrorAt: null,
    lastErrorReason: null,
    lastErrorMessage: null,
    queryMs: 1,
    hosts: base.length,
    windowFrom: null,
    windowTo: null,
    lastMode: "raw",
  });
  let current = base.map((n) => ({ ...n, sourceId }));
  let seq = 1;
  await writeTick(status(seq), current);
  const writers: [string, RowWriter][] = [
    ["VALUES statements (before)", valuesRowWriter],
    ["one JSON parameter per chunk (now)", json],
  ];
  const times = new Map(writers.map(([name]) => [name, { insert: [] as number[], upsert: [] as number[] }]));
  let moved = 0;
  for (let run = 0; run < WRITE_RUNS; run++) {
    for (const [name, rowWriter] of writers) {
      const t = times.get(name);
      if (!t) continue;
      let start = performance.now();
      await writeTick(status(++seq), current, { rowWriter });
      t.insert.push(performance.now() - start);
      const next = current.map((n, i) =>
        i % 5 < 2 ? { ...n, tempC: (n.tempC ?? 40) + 0.1, tickAt: n.tickAt + 1 } : n,
      );
      start = performance.now();
      const written = await writeTick(status(seq + 1), next, {
        stored: { nodes: new Map(current.map((n) => [nodeKey(n), n])), tickSeq: seq },
        rowWriter,
      });
      t.upsert.push(performance.now() - start);
      if (written.isFullRewrite) throw new Error("the upsert round replaced every row");
      moved = written.rowsWritten;
      seq++;
      current = next;
    }
  }
  for (const [name, t] of times) {
    line(`store ${label}, ${name}: ${base.length} rows replaced`, ms(t.insert));
    line(`store ${label}, ${name}: ${moved} rows upserted`, ms(t.upsert));
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
