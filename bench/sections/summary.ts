// The control center at 10,000 sites while the collector polls them: the
// incremental fleet summary (indexed queries, the shown page rendered now)
// with the worker in the web server's worker thread (now) and on its event loop
// (OUTPOST_WORKER=inline, before), beside the roll-up (every site rolled up,
// shared for 2 s), all served from the same database in the same run; plus the
// summary against the roll-up in-process without any cache. The web servers
// run in their own process groups and are stopped at the end.
import {
  type BenchSection,
  ensureBuild,
  freshDataDir,
  importDirs,
  mb,
  percentile,
  record,
  splitAcrossProcesses,
  treeRss,
  withFleet,
} from "../kit";
import { type BenchServer, benchGet, startBenchServer, stopBenchServer } from "../web-server";

/** BENCH_SUMMARY_SITES runs a smaller fleet first (to know how long the 10,000 run takes). */
const SITES = Number(process.env.BENCH_SUMMARY_SITES ?? 10_000);
const PROCESSES = 5;
async function timed(s: BenchServer, path: string, n: number, gapMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await benchGet(s, path);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path} answered ${res.status}`);
    out.push(performance.now() - t);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  return out;
}

const p50p95 = (values: number[]) =>
  `${percentile(values, 50).toFixed(0)} / ${percentile(values, 95).toFixed(0)} ms`;

export const summarySection: BenchSection = {
  name: "summary",
  summary:
    "control center at 10,000 sites with the collector running: incremental summary vs rolling up every site",
  async run() {
    process.stdout.write(
      `\n▶ summary: ${SITES} single-cluster stores, collector running, new vs today's way\n`,
    );
    const dataDir = await freshDataDir("outpost-bench-summary-");
    const per = splitAcrossProcesses(SITES, Math.ceil(SITES / PROCESSES));
    await withFleet(dataDir, per, async (dirs) => {
      const imported = await importDirs(dirs);
      ensureBuild();
      const servers: BenchServer[] = [];
      // The bench's own view of the database (to see a worker's sweep end, and the in-process reads below).
      process.env.OUTPOST_DATA_DIR = dataDir;
      const { resetEnvForTests } = await import("@/lib/env");
      resetEnvForTests();
      const { db } = await import("@/lib/db/client");
      const list = "/api/fleet/health?limit=50";
      const filtered = "/api/fleet/health?limit=50&status=healthy,degraded,unreachable&q=p1";
      /** Polls the list every 2 s until `done`; the slowest answer is what an operator waited meanwhile. */
      const slowestWhile = async (s: BenchServer, done: () => Promise<boolean>) => {
        const started = performance.now();
        let slowestMs = 0;
        for (;;) {
          const asked = performance.now();
          const res = await benchGet(s, "/api/fleet/health?limit=1");
          await res.arrayBuffer();
          slowestMs = Math.max(slowestMs, performance.now() - asked);
          if (await done()) break;
          if (performance.now() - started > 10 * 60_000) throw new Error("sweep did not finish in 10 min");
          await new Promise((r) => setTimeout(r, 2_000));
        }
        return { seconds: (performance.now() - started) / 1000, slowestMs };
      };
      const recordSweep = (
        label: string,
        what: string,
        sweep: { seconds: number; slowestMs: number },
        s: BenchServer,
      ) => {
        record("summary", `[${label}] ${what}`, sweep.seconds, "s");
        record("summary", `[${label}] slowest list answer while that sweep ran`, sweep.slowestMs, "ms");
        record("summary", `[${label}] RSS of the server (web + worker)`, mb(treeRss(s.process.pid)), "MB");
      };
      const measure = async (label: string, s: BenchServer) => {
        await timed(s, list, 3, 0);
        record(
          "summary",
          `[${label}] GET ${list}, 10 req/s (p50 / p95)`,
          p50p95(await timed(s, list, 60, 100)),
        );
        record(
          "summary",
          `[${label}] same, status + text filter (p50 / p95)`,
          p50p95(await timed(s, filtered, 30, 100)),
        );
        await timed(s, "/", 2, 0);
        record("summary", `[${label}] SSR of / (p50 / p95)`, p50p95(await timed(s, "/", 15, 2_100)));
        // Whether the worker kept up meanwhile: a collector that falls behind leaves sites stale.
        const res = await benchGet(s, "/api/fleet/health?limit=1");
        const { counts } = (await res.json()) as {
          counts: { healthy: number; stale: number; total: number };
        };
        record(
          "summary",
          `[${label}] sites healthy / stale at the end`,
          `${counts.healthy} / ${counts.stale} of ${counts.total}`,
        );
      };
      try {
        // Phase 1: the incremental server runs the worker (collector, telemetry tick, summary) in its
        // worker thread, the default; the other serves the roll-up way from the same database and runs nothing.
        const threaded = await startBenchServer(dataDir, "incremental-thread", {
          OUTPOST_ALLOW_LOOPBACK: "1",
          OUTPOST_WORKER: "embedded",
        });
        servers.push(threaded);
        const rollup = await startBenchServer(dataDir, "rollup", {
          OUTPOST_ALLOW_LOOPBACK: "1",
          OUTPOST_WORKER: "off",
          OUTPOST_FLEET_SUMMARY: "rollup",
        });
        servers.push(rollup);
        // First sweep done: every site contacted.
        const first = await slowestWhile(threaded, async () => {
          const res = await benchGet(threaded, "/api/fleet/health?limit=1");
          const body = (await res.json()) as { counts: { unknown: number; total: number } };
          return body.counts.total === imported && body.counts.unknown === 0;
        });
        recordSweep("worker thread", `first sweep of ${imported} clusters, summary built`, first, threaded);
        await measure("incremental, worker thread (now)", threaded);
        await measure("roll-up, 2 s cache (before the summary)", rollup);
        await stopBenchServer(threaded);
        servers.splice(servers.indexOf(threaded), 1);

        // Phase 2: the same server with the worker on its own event loop (OUTPOST_WORKER=inline, the
        // way before). Measured once its collector has polled every cluster itself.
        const since = new Date();
        const inline = await startBenchServer(dataDir, "incremental-inline", {
          OUTPOST_ALLOW_LOOPBACK: "1",
          OUTPOST_WORKER: "inline",
        });
        servers.push(inline);
        // Compared in JavaScript: SQLite holds the dates as text, whose spelling the bench should not assume.
        // A few clusters may sit in a retry backoff; 99 % polled again is the new worker's first sweep.
        const second = await slowestWhile(inline, async () => {
          const rows = await db().clusterStatus.findMany({ select: { lastAttemptAt: true } });
          const behind = rows.filter((r) => !r.lastAttemptAt || r.lastAttemptAt < since).length;
          return behind <= rows.length / 100;
        });
        recordSweep(
          "worker inline",
          `first sweep of ${imported} clusters (99 % polled again)`,
          second,
          inline,
        );
        await measure("incremental, worker inline (before)", inline);

        // The data path alone, in this process, no cache at all: the same database the collector writes.
        const { filterFleet, rollUpFleet } = await import("@/lib/fleet/health");
        const { fleetOverview } = await import("@/lib/fleet/summary/overview");
        const q = { status: [], offset: 0, limit: 50 };
        const oldMs: number[] = [];
        const newMs: number[] = [];
        // The collector keeps writing between the two reads, so a site at a freshness edge can differ;
        // equality at one database state is what the tests prove. Here: how often, and the first difference.
        let equal = 0;
        let firstDiff = "";
        for (let i = 0; i < 10; i++) {
          const now = Date.now();
          let t = performance.now();
          const old = filterFleet(await rollUpFleet(now), q);
          oldMs.push(performance.now() - t);
          t = performance.now();
          const fresh = await fleetOverview(q, now);
          newMs.push(performance.now() - t);
          // Key by key: the two ways build the counts object in different key orders.
          const keys = Object.keys(old.counts) as (keyof typeof old.counts)[];
          const isSame =
            keys.length === Object.keys(fresh.counts).length &&
            keys.every((k) => old.counts[k] === fresh.counts[k]);
          if (isSame) equal += 1;
          else
            firstDiff ||= `roll-up ${JSON.stringify(old.counts)} vs summary ${JSON.stringify(fresh.counts)}`;
          await new Promise((r) => setTimeout(r, 500));
        }
        record("summary", "in-process, uncached: roll up every site + filter (p50 / p95)", p50p95(oldMs));
        record("summary", "in-process, uncached: incremental summary (p50 / p95)", p50p95(newMs));
        record(
          "summary",
          "counts equal (roll-up, then summary, collector writing between)",
          `${equal} of 10${firstDiff ? `; first difference: ${firstDiff}` : ""}`,
        );
      } finally {
        for (const s of servers) await stopBenchServer(s);
      }
    });
  },
};
