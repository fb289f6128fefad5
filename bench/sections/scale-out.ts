// Issue 12's scale-out numbers: 10,000 clusters collected by 1 and then 2 real
// `npm run worker` processes on one PostgreSQL (sweep time, CPU and RSS per
// worker, share fresh), then the overview API on that PostgreSQL and on an SQLite
// copy of the same rows, side by side. Opt-in and exclusive (both cores, minutes):
//   /work/team/heavy --exclusive npm run bench -- scale-out
// OUTPOST_BENCH_SCALE_CLUSTERS=500 runs a smaller fleet (to learn how long the big one takes).
import fs from "node:fs";
import path from "node:path";
import {
  type BenchSection,
  freshDataDir,
  importDirs,
  mb,
  record,
  splitAcrossProcesses,
  treeRss,
  withFleet,
} from "../kit";
import { benchOverviewHttp } from "./fleet";

const CLUSTERS = Number(process.env.OUTPOST_BENCH_SCALE_CLUSTERS ?? 10_000);
const INTERVAL_SECONDS = 10;
/** steady-state window over which CPU is measured, after every cluster was polled once */
const WINDOW_MS = 30_000;
const CLK_TCK = 100;

/** user + system CPU seconds of one process so far (/proc/<pid>/stat fields 14 and 15) */
function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/**
 * When every cluster has a poll attempt at or after `since`, or, past the timeout, how many had one
 * (a bench prints what it saw rather than losing the rest of its numbers).
 */
async function allPolledSince(
  since: Date,
  total: number,
  timeoutMs: number,
): Promise<{ at: number; polled: number }> {
  const { db } = await import("@/lib/db/client");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const polled = await db().clusterStatus.count({ where: { lastAttemptAt: { gte: since } } });
    if (polled >= total || Date.now() > deadline) return { at: Date.now(), polled };
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** "179.0 s", or "9794 of 10000 within 240 s" when not every cluster was polled */
function polledIn(result: { at: number; polled: number }, from: number, total: number): string {
  const seconds = ((result.at - from) / 1000).toFixed(1);
  return result.polled >= total ? `${seconds} s` : `${result.polled} of ${total} within ${seconds} s`;
}

async function shareFresh(total: number): Promise<number> {
  const { db } = await import("@/lib/db/client");
  const { freshLimitMs } = await import("@/lib/health/freshness");
  const since = new Date(Date.now() - freshLimitMs(INTERVAL_SECONDS * 1000));
  const fresh = await db().clusterStatus.count({ where: { lastSuccessAt: { gte: since } } });
  return (100 * fresh) / total;
}

async function workersPhase(count: number, total: number, env: Record<string, string>): Promise<void> {
  const { spawnWorker } = await import("@/lib/testing/worker-process");
  const tag = `${count} worker${count > 1 ? "s" : ""}`;
  process.stdout.write(`\n▶ scale-out: ${total} clusters, ${tag} on PostgreSQL\n`);
  const startedAt = new Date();
  const workers = Array.from({ length: count }, () => spawnWorker({ ...env, OUTPOST_LOG_LEVEL: "warn" }));
  try {
    const first = await allPolledSince(startedAt, total, 240_000);
    record(
      "scale-out",
      `[${tag}] start → every cluster polled (TLS handshakes, process start)`,
      polledIn(first, startedAt.getTime(), total),
    );
    const from = new Date();
    const cpu0 = workers.map((w) => cpuSeconds(w.pid));
    const swept = await allPolledSince(from, total, 120_000);
    record(
      "scale-out",
      `[${tag}] sweep time (every cluster polled again, ${INTERVAL_SECONDS} s interval)`,
      polledIn(swept, from.getTime(), total),
    );
    const rest = WINDOW_MS - (Date.now() - from.getTime());
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    const seconds = (Date.now() - from.getTime()) / 1000;
    const cpu = workers.map((w, i) => (cpuSeconds(w.pid) - (cpu0[i] ?? 0)) / seconds);
    record(
      "scale-out",
      `[${tag}] CPU per worker (share of one core, steady)`,
      cpu.map((c) => `${Math.round(c * 100)} %`).join(" / "),
    );
    record(
      "scale-out",
      `[${tag}] RSS per worker`,
      workers.map((w) => `${Math.round(mb(treeRss(w.pid)))} MB`).join(" / "),
    );
    record("scale-out", `[${tag}] share of clusters fresh`, await shareFresh(total), "%");
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}

export const scaleOutSection: BenchSection = {
  name: "scale-out",
  summary: "10,000 clusters: 1 vs 2 worker processes on PostgreSQL; overview API p95 on PostgreSQL vs SQLite",
  isOptIn: true,
  async run() {
    const { startPostgres } = await import("@/lib/testing/postgres");
    const postgres = await startPostgres();
    try {
      const databaseUrl = await postgres.createDatabase("scale_out");
      process.env.DATABASE_URL = databaseUrl;
      const dataDir = await freshDataDir("outpost-bench-scale-");
      const password = "bench-admin-password";
      const env = {
        OUTPOST_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        OUTPOST_ALLOW_LOOPBACK: "1",
        OUTPOST_ADMIN_PASSWORD: password,
        OUTPOST_POLL_INTERVAL_SECONDS: String(INTERVAL_SECONDS),
      };
      await withFleet(dataDir, splitAcrossProcesses(CLUSTERS, 2_000), async (dirs) => {
        const importStart = performance.now();
        const total = await importDirs(dirs);
        record(
          "scale-out",
          `import ${total} kubeconfigs into PostgreSQL`,
          (performance.now() - importStart) / 1000,
          "s",
        );
        await workersPhase(1, total, env);
        await workersPhase(2, total, env);

        // The overview at this many sites: the same rows on PostgreSQL and copied into SQLite.
        process.stdout.write(`\n▶ scale-out: overview API at ${total} sites, PostgreSQL vs SQLite\n`);
        await benchOverviewHttp(dataDir, { label: "PostgreSQL", url: databaseUrl }, { withSsr: false });
        const sqliteDir = fs.mkdtempSync(path.join(path.dirname(dataDir), "outpost-bench-scale-sqlite-"));
        const key = path.join(dataDir, "secret.key");
        if (fs.existsSync(key)) fs.copyFileSync(key, path.join(sqliteDir, "secret.key"));
        const sqliteUrl = `file:${path.join(sqliteDir, "outpost.db")}`;
        const { createClient, resetDbForTests } = await import("@/lib/db/client");
        const { copyDatabase } = await import("@/lib/db/copy");
        const source = createClient(databaseUrl);
        const target = createClient(sqliteUrl);
        try {
          const copy = await copyDatabase(source, target);
          record("scale-out", "copy every row PostgreSQL → SQLite (same data)", copy.ms / 1000, "s");
        } finally {
          await Promise.all([source.$disconnect(), target.$disconnect()]);
        }
        process.env.DATABASE_URL = sqliteUrl;
        process.env.OUTPOST_DATA_DIR = sqliteDir;
        const { resetEnvForTests } = await import("@/lib/env");
        resetEnvForTests();
        await resetDbForTests();
        await benchOverviewHttp(sqliteDir, { label: "SQLite", url: sqliteUrl }, { withSsr: false });
      });
    } finally {
      delete process.env.DATABASE_URL;
      await postgres.stop();
    }
  },
};
