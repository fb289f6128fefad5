// Alerts benchmark: one evaluation of 10,000 nodes against a real influxd with
// the simulator's telemetry (query time, evaluation CPU, database write time),
// the naive way (one query per node) beside it, a "storm" evaluation where every
// node crosses its level at once (the write-heavy case), and the end-to-end
// delay from a threshold crossing in the data to the webhook arriving.
//
//   npx tsx --conditions=react-server bench/programs/alerts.ts [--nodes 10000]
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const NODES = arg("nodes", 10_000);
const HISTORY_MS = 10 * 60_000;
const EVERY_MS = 15_000;
const INTERVAL_MS = 10_000;
const EVALUATIONS = 5;
const NAIVE_SAMPLE = 200;

function line(section: string, metric: string, value: string) {
  process.stdout.write(`  ${section.padEnd(10)} ${metric.padEnd(52)} ${value}\n`);
}

function ms(v: number) {
  return `${Math.round(v)} ms`;
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-bench-alerts-"));
  Object.assign(process.env, {
    OUTPOST_DATA_DIR: dataDir,
    OUTPOST_ALLOW_LOOPBACK: "1",
    OUTPOST_LOG_LEVEL: "silent",
    OUTPOST_POLL_INTERVAL_SECONDS: "15",
  });
  const { startInfluxd, createDatabase } = await import("@/lib/testing/influxd");
  const { backfill } = await import("@/lib/simulator/telemetry");
  const { db, transaction } = await import("@/lib/db/client");
  const { createDataSource } = await import("@/lib/telemetry/data-sources");
  const { AlertEngine } = await import("@/lib/alerts/engine");
  const { createRule } = await import("@/lib/alerts/rules-store");
  const { enqueueDelivery, deliver, DELIVERY_QUEUE } = await import("@/lib/alerts/dispatch");
  const { createContactPoint } = await import("@/lib/alerts/contact-points");
  const { createRunner } = await import("@/lib/work/runner");
  const { setThreshold, clearThreshold } = await import("@/lib/thresholds/store");
  const { influxQuery, clearQueryCache } = await import("@/lib/influx/client");
  const { polledStatus, WebhookReceiver } = await import("@/lib/testing/alerts-fixtures");

  const influx = await startInfluxd();
  try {
    const database = "telegraf";
    await createDatabase(influx.url, database);
    // 10,000 nodes: two-node stores (like a retail chain).
    const stores = Math.ceil(NODES / 2);
    const nodes = Array.from({ length: NODES }, (_, i) => {
      const site = `store-b${String(Math.floor(i / 2)).padStart(5, "0")}`;
      return {
        site,
        siteKind: "store" as const,
        cluster: "k3s",
        node: `${site}-n${i % 2}`,
        isTurbine: false,
        seed: i + 1,
      };
    });
    const now0 = Date.now();
    const written = await backfill(
      { influxUrl: influx.url, database, intervalMs: INTERVAL_MS, nodes },
      now0 - HISTORY_MS,
      now0,
    );
    line(
      "alerts",
      `telemetry backfill (${NODES.toLocaleString()} nodes, 10 min)`,
      `${written.points.toLocaleString()} points`,
    );

    await createDataSource({ name: "Bench InfluxDB", url: influx.url, database });
    const siteRows = Array.from({ length: stores }, (_, i) => ({
      id: `s${i}`,
      slug: `store-b${String(i).padStart(5, "0")}`,
      name: `Bench store ${i}`,
      kind: "store",
      updatedAt: new Date(),
    }));
    for (let i = 0; i < siteRows.length; i += 1000)
      await db().site.createMany({ data: siteRows.slice(i, i + 1000) });
    const clusterRows = siteRows.map((s, i) => ({
      id: `c${i}`,
      siteId: s.id,
      name: "k3s",
      server: `https://10.${Math.floor(i / 250)}.${i % 250}.1:6443`,
      contextName: "k3s",
      authKind: "token",
      kubeconfigEnc: "x",
      updatedAt: new Date(),
    }));
    for (let i = 0; i < clusterRows.length; i += 1000)
      await db().cluster.createMany({ data: clusterRows.slice(i, i + 1000) });
    const markPolled = async (at: number) => {
      await db().clusterStatus.deleteMany();
      const rows = siteRows.map((s, i) => ({
        clusterId: `c${i}`,
        ...polledStatus(at, [`${s.slug}-n0`, `${s.slug}-n1`]),
      }));
      for (let i = 0; i < rows.length; i += 1000)
        await db().clusterStatus.createMany({ data: rows.slice(i, i + 1000) });
    };
    // Evaluations walk through the written history in event time (15 s apart), as the live loop would.
    // Start 4 min before the newest points: later points stay within the 5 min a clock may run ahead.
    let at = now0 - 4 * 60_000;
    await markPolled(at);
    for (const r of [
      { name: "Board temperature", kind: "temperature" as const },
      { name: "Site unreachable", kind: "site-unreachable" as const },
      { name: "Node NotReady", kind: "node-not-ready" as const },
      { name: "Sensor silent", kind: "sensor-silent" as const },
    ])
      await createRule(r, "bench");

    const engine = new AlertEngine({
      transaction: (fn) => transaction(fn),
      enqueueDelivery,
      externalUrl: "http://outpost.bench",
      intervalMs: 15_000,
    });
    await engine.evaluate(at);
    const runs: {
      total: number;
      cpu: number;
      t: { loadMs: number; queryMs: number; evaluateMs: number; notifyMs: number; writeMs: number };
    }[] = [];
    for (let i = 0; i < EVALUATIONS; i++) {
      at += EVERY_MS;
      await markPolled(at);
      clearQueryCache();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const r = await engine.evaluate(at);
      const cpu = process.cpuUsage(cpu0);
      runs.push({ total: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000, t: r.timings });
      if (i === 0)
        line(
          "alerts",
          "instances evaluated per evaluation",
          `${r.instances.toLocaleString()} (${r.hosts.toLocaleString()} hosts)`,
        );
    }
    const med = (f: (r: (typeof runs)[number]) => number) => {
      const v = runs.map(f).sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)] ?? 0;
    };
    line(
      "alerts",
      `one evaluation, ${NODES.toLocaleString()} nodes (median of ${EVALUATIONS})`,
      ms(med((r) => r.total)),
    );
    line("alerts", "  reading facts (registry, collector, health)", ms(med((r) => r.t.loadMs)));
    line("alerts", "  InfluxDB: one request per data source", ms(med((r) => r.t.queryMs)));
    line("alerts", "  evaluation (pure state machine, all rules)", ms(med((r) => r.t.evaluateMs)));
    line("alerts", "  notification planning (groups, silences, mutes)", ms(med((r) => r.t.notifyMs)));
    line("alerts", "  database write (steady state)", ms(med((r) => r.t.writeMs)));
    line("alerts", "  process CPU per evaluation", ms(med((r) => r.cpu)));

    // The naive way: one query per node.
    const target = {
      key: "naive",
      url: influx.url,
      database,
      retentionPolicy: null,
      auth: { kind: "none" as const },
      timeoutMs: 10_000,
    };
    const t1 = performance.now();
    for (let i = 0; i < NAIVE_SAMPLE; i++) {
      const n = nodes[i * Math.floor(NODES / NAIVE_SAMPLE)];
      await influxQuery(
        target,
        [`SELECT max("temp") FROM "temp" WHERE "host" = '${n?.node}' AND time > now() - 15s`],
        {},
      );
    }
    const perNode = (performance.now() - t1) / NAIVE_SAMPLE;
    line(
      "alerts",
      "naive: one query per node (measured on 200, × nodes)",
      `${ms(perNode * NODES)} (${perNode.toFixed(1)} ms each)`,
    );

    // Storm: every node crosses its level at once (fleet default dropped to 0 °C): the write-heavy case.
    await setThreshold({ level: "fleet" }, { warnCelsius: 0, criticalCelsius: null }, "bench");
    at += EVERY_MS;
    await markPolled(at);
    clearQueryCache();
    const storm = await engine.evaluate(at);
    line(
      "alerts",
      `storm: ${storm.transitions.toLocaleString()} transitions in one evaluation`,
      `${ms(storm.timings.writeMs)} write, ${ms(storm.timings.evaluateMs)} evaluate`,
    );
    await clearThreshold({ level: "fleet" });
    await db().alertRule.deleteMany();
    await db().alertEvaluatorState.deleteMany();

    // End to end: a crossing written to InfluxDB → evaluator (15 s interval) → outbox → signed webhook.
    const receiver = new WebhookReceiver();
    await receiver.start();
    const cp = await createContactPoint({ name: "bench receiver", kind: "webhook", url: receiver.url });
    receiver.secret = cp.secret;
    const live = new AlertEngine({
      transaction: (fn) => transaction(fn),
      enqueueDelivery,
      externalUrl: "http://outpost.bench",
      intervalMs: 15_000,
    });
    await createRule(
      {
        name: "E2E delay",
        kind: "temperature",
        warnCelsius: 100,
        forSeconds: 0,
        groupWaitSeconds: 0,
        contactPointIds: [cp.contactPoint.id],
      },
      "bench",
    );
    const runner = createRunner({
      queue: DELIVERY_QUEUE,
      owner: "bench",
      pollMs: 1_000,
      handler: (job, ctx) => deliver(job as never, ctx),
    });
    runner.start();
    const delays: number[] = [];
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        await markPolled(Date.now());
        await live.evaluate(Date.now());
        await new Promise((r) => setTimeout(r, 15_000));
      }
    })();
    for (let k = 0; k < 3; k++) {
      const node = nodes[k * 7 + 1];
      if (!node) break;
      const seen = receiver.accepted.length;
      const at = Date.now();
      await fetch(`${influx.url}/write?db=${database}&precision=ms`, {
        method: "POST",
        body: `temp,site=${node.site},cluster=k3s,host=${node.node},sensor=board temp=120 ${at}`,
      });
      while (receiver.accepted.length === seen) await new Promise((r) => setTimeout(r, 50));
      delays.push((receiver.accepted.at(-1)?.at ?? Date.now()) - at);
      await new Promise((r) => setTimeout(r, 4_000 + k * 3_000));
    }
    stop = true;
    await loop;
    await runner.stop();
    await receiver.stop();
    const avg = delays.reduce((a, b) => a + b, 0) / Math.max(1, delays.length);
    line(
      "alerts",
      "threshold crossing → signed webhook (interval 15 s, no pending)",
      `${(avg / 1000).toFixed(1)} s mean (${delays.map((d) => (d / 1000).toFixed(1)).join(", ")} s)`,
    );
  } finally {
    await influx.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`alerts bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
