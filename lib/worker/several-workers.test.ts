// Several worker instances on one PostgreSQL (issue 12, "Proof"): real
// `npm run worker` processes share the collection of a simulated TLS fleet
// through shard leases. The simulator's request log (User-Agent = the polling
// instance) says who polled which cluster when; the database says who owns
// which shard. PostgreSQL only: SQLite installs run one process (the same code
// with one owner of every shard, covered by the collector's own tests).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { auditPolls, clusterKey } from "@/lib/testing/poll-audit";
import { type SimFleet, startSimFleet } from "@/lib/testing/sim-fleet";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { testDatabaseDialect } from "@/lib/testing/test-database";
import { until } from "@/lib/testing/until";
import { killWorkers, spawnWorker, type WorkerProcess } from "@/lib/testing/worker-process";
import { DEFAULT_SHARDS } from "@/lib/work/shards";

// CI runs 60 clusters with a 2 s interval and a 6 s lease. The full size is opt-in (minutes,
// exclusive machine): OUTPOST_SEVERAL_WORKERS_CLUSTERS=2000 OUTPOST_SEVERAL_WORKERS_INTERVAL_SECONDS=10
// OUTPOST_SEVERAL_WORKERS_LEASE_SECONDS=15 npx vitest run --project postgresql lib/worker/several-workers.test.ts
const sized = (name: string, fallback: number) =>
  Number(process.env[`OUTPOST_SEVERAL_WORKERS_${name}`] ?? fallback);
const CLUSTERS = sized("CLUSTERS", 60);
const INTERVAL_MS = sized("INTERVAL_SECONDS", 2) * 1000;
const LEASE_MS = sized("LEASE_SECONDS", 6) * 1000;
/** waits that grow with the fleet: first TLS handshakes with every cluster, the simulator building each one */
const FLEET_MS = 30_000 + CLUSTERS * 30;
/** per-test timeouts grow with the interval and the fleet */
const SCALE = Math.max(1, INTERVAL_MS / 2_000, CLUSTERS / 200);
/** the shard owner's renew/rebalance tick: a third of the lease */
const TICK_MS = LEASE_MS / 3;
/** a loaded machine delays timers and child processes: added to bounds that are not the issue's own */
const LOAD_SLACK_MS = 1_500;

const isPostgres = testDatabaseDialect() === "postgresql";

let tmp: Awaited<ReturnType<typeof useTempDataDir>>;
let fleet: SimFleet;
let simDir: string;
let clusters: string[];
/** cluster id → "site/cluster" as the request log names it */
let keyOf: Map<string, string>;
const workers: WorkerProcess[] = [];
/** instance id of each worker (what its User-Agent and lease rows name) */
const ids = new Map<WorkerProcess, string>();

async function startWorker(): Promise<WorkerProcess> {
  const w = spawnWorker({
    OUTPOST_DATA_DIR: tmp.dir,
    DATABASE_URL: tmp.databaseUrl,
    OUTPOST_ALLOW_LOOPBACK: "1",
    OUTPOST_POLL_INTERVAL_SECONDS: String(INTERVAL_MS / 1000),
    OUTPOST_COLLECTOR_LEASE_SECONDS: String(LEASE_MS / 1000),
  });
  workers.push(w);
  const started = await w.waitForLog((l) => l.msg === "worker host started", 90_000);
  ids.set(w, String(started.instance));
  return w;
}

const agentOf = (w: WorkerProcess) => `Outpost/${ids.get(w)}`;

/** live shard leases per owner */
async function shardOwners(): Promise<Map<string, number>> {
  const rows = await db().workLease.findMany({
    where: { name: { startsWith: "collector:" }, expiresAt: { gt: new Date() }, owner: { not: "" } },
    select: { owner: true },
  });
  const out = new Map<string, number>();
  for (const r of rows) out.set(r.owner, (out.get(r.owner) ?? 0) + 1);
  return out;
}

/** resolves when exactly these workers hold every shard, each its fair share (±1) */
function balancedAmong(list: WorkerProcess[], timeoutMs: number): Promise<Map<string, number>> {
  const share = DEFAULT_SHARDS / list.length;
  return until(
    async () => {
      const owners = await shardOwners();
      const held = list.map((w) => owners.get(ids.get(w) ?? "") ?? 0);
      const total = [...owners.values()].reduce((a, b) => a + b, 0);
      const fair = held.every((n) => Math.abs(n - share) <= 1);
      return total === DEFAULT_SHARDS && owners.size === list.length && fair ? owners : false;
    },
    { timeoutMs: timeoutMs, everyMs: 100, what: `shards balanced among ${list.length} workers` },
  );
}

async function audit(from: number, to: number) {
  return auditPolls(await fleet.requests(from - INTERVAL_MS * 2), {
    from,
    to,
    intervalMs: INTERVAL_MS,
    clusters,
  });
}

/** when each cluster was first polled by one of `agents` at or after `since` (ms), for every cluster */
async function firstPollsAfter(since: number, agents: string[]): Promise<Map<string, number> | false> {
  const first = new Map<string, number>();
  for (const e of await fleet.requests(since))
    if (agents.includes(e.agent) && !first.has(clusterKey(e))) first.set(clusterKey(e), e.at);
  return clusters.every((c) => first.has(c)) ? first : false;
}

async function lastAttempts(): Promise<Map<string, number>> {
  const rows = await db().clusterStatus.findMany({ select: { clusterId: true, lastAttemptAt: true } });
  return new Map(rows.map((r) => [r.clusterId, r.lastAttemptAt?.getTime() ?? 0]));
}

describe.skipIf(!isPostgres)("several worker processes on one PostgreSQL", () => {
  beforeAll(
    async () => {
      tmp = await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" });
      simDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-several-sim-"));
      fleet = await startSimFleet(CLUSTERS, simDir, FLEET_MS * 2);
      const results = await importFleet(readFleetDirectory(simDir).items);
      expect(results.filter((r) => r.status !== "created")).toEqual([]);
      const rows = await db().cluster.findMany({
        select: { id: true, name: true, site: { select: { slug: true } } },
      });
      keyOf = new Map(rows.map((c) => [c.id, `${c.site.slug}/${c.name}`]));
      clusters = [...keyOf.values()];
      expect(clusters).toHaveLength(CLUSTERS);
    },
    180_000 + FLEET_MS * 2,
  );

  afterAll(async () => {
    await killWorkers(workers);
    await fleet?.stop();
    await tmp?.cleanup();
    if (simDir) fs.rmSync(simDir, { recursive: true, force: true });
  }, 60_000);

  it(
    "a third worker joining: shards rebalance without a gap; then every cluster is polled by exactly one worker per interval",
    async () => {
      const [a, b] = await Promise.all([startWorker(), startWorker()]);
      if (!a || !b) throw new Error("workers");
      await balancedAmong([a, b], 30_000 + LEASE_MS * 3);
      // both have polled everything they own before the join is measured
      const sinceBalanced = Date.now();
      await until(() => firstPollsAfter(sinceBalanced, [agentOf(a), agentOf(b)]), {
        timeoutMs: FLEET_MS,
        everyMs: 100,
        what: "two workers poll all",
      });

      const joinedAt = Date.now();
      const c = await startWorker();
      await balancedAmong([a, b, c], 30_000 + LEASE_MS * 3);
      const balancedAt = Date.now();
      // one interval after the last hand-over, every moved cluster had its turn with its new owner
      await new Promise((r) => setTimeout(r, INTERVAL_MS * 1.5));
      const join = await audit(joinedAt, Date.now());
      console.log("join", { rebalanceMs: balancedAt - joinedAt, ...join, byAgent: undefined });
      expect(join.unpolled).toEqual([]);
      expect(join.duplicateShare).toBeLessThanOrEqual(0.01);
      // A hand-over continues each cluster's cadence: one interval (+10 % jitter) and the joiner's short
      // tick on a quiet machine (measured ≈ 2.6 s). The joiner's start-up competes for the CPU with
      // everything else, so the asserted bound is what a takeover would cost: a hand-over never does worse.
      expect(join.maxGapMs).toBeLessThanOrEqual(INTERVAL_MS * 1.1 + LEASE_MS + LOAD_SLACK_MS);

      const steadyFrom = Date.now();
      await new Promise((r) => setTimeout(r, INTERVAL_MS * 3));
      const steady = await audit(steadyFrom, Date.now());
      console.log("steady", steady);
      expect(steady.unpolled).toEqual([]);
      expect(steady.duplicates).toBe(0);
      // no cluster misses a poll (one interval + 10 %, ≈ 2.2 s measured; the rest is for a loaded machine)
      expect(steady.maxGapMs).toBeLessThanOrEqual(2 * INTERVAL_MS + LOAD_SLACK_MS);
      // each worker polls its share: all three poll, none polls everything
      for (const w of [a, b, c]) {
        const n = steady.byAgent[agentOf(w)] ?? 0;
        expect(n, `polls by ${agentOf(w)}`).toBeGreaterThan(0);
        expect(n).toBeLessThan(steady.polls);
      }
      expect(Object.keys(steady.byAgent).sort()).toEqual([a, b, c].map(agentOf).sort());
    },
    240_000 * SCALE,
  );

  it(
    "kill -9 of a worker: its shards are taken over within a lease and its clusters are polled again within lease + 2 × interval",
    async () => {
      const [victim, ...survivors] = workers;
      if (!victim) throw new Error("workers");
      const victimId = ids.get(victim);
      victim.kill("SIGKILL");
      const killedAt = Date.now();
      await victim.exited;
      await balancedAmong(survivors, LEASE_MS * 3);
      const takeoverMs = Date.now() - killedAt;
      const agents = survivors.map(agentOf);
      const victimsClusters = new Set(
        (await fleet.requests(killedAt - INTERVAL_MS * 2))
          .filter((e) => e.agent === agentOf(victim) && e.at < killedAt)
          .map(clusterKey),
      );
      expect(victimsClusters.size).toBeGreaterThan(0);
      const first = await until(() => firstPollsAfter(killedAt, agents), {
        timeoutMs: Math.max(LEASE_MS * 4, FLEET_MS),
        everyMs: 100,
        what: "survivors poll all",
      });
      const repolledMs = Math.max(...[...victimsClusters].map((c) => (first.get(c) ?? Infinity) - killedAt));
      const around = await audit(killedAt, Date.now());
      console.log("kill -9", {
        victimId,
        takeoverMs,
        repolledMs,
        maxGapMs: around.maxGapMs,
        duplicates: around.duplicates,
      });
      // the dead worker renewed at most a tick before it died; a survivor claims at its next tick after expiry
      expect(takeoverMs).toBeLessThanOrEqual(LEASE_MS + TICK_MS + LOAD_SLACK_MS);
      // the bound: fresh again within lease + 2 × poll interval
      expect(repolledMs).toBeLessThanOrEqual(LEASE_MS + 2 * INTERVAL_MS);
      expect(around.unpolled).toEqual([]);
      expect(around.duplicates).toBe(0);
      const owners = await shardOwners();
      expect(owners.has(victimId ?? "")).toBe(false);
    },
    120_000 * SCALE,
  );

  it(
    "a worker paused past its lease (SIGSTOP) and resumed (SIGCONT): its late results are refused, no status goes back in time",
    async () => {
      const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      const [paused, other] = live;
      if (!paused || !other) throw new Error("two live workers");
      // slow answers keep polls in flight, so the pause catches some mid-way
      const sites = [...new Set(clusters.map((c) => c.split("/")[0] ?? ""))];
      await fleet.addFault(
        sites.map((site) => ({ type: "slow", site, durationMs: 20_000, params: { latencyMs: 400 } })),
      );
      // A request that reached the simulator within the last 150 ms is still unanswered (400 ms
      // latency): the pause then surely holds a poll in flight, whose result must meet the fence.
      // (500 ms let a poll answered and written just before the pause pass, on a loaded CI run.)
      await until(
        async () => (await fleet.requests(Date.now() - 150)).some((e) => e.agent === agentOf(paused)),
        { timeoutMs: 10_000, everyMs: 25, what: "paused worker polling" },
      );
      paused.kill("SIGSTOP");
      const stoppedAt = Date.now();
      await balancedAmong([other], LEASE_MS * 3);
      // the other worker polled everything since the takeover: these are the newest statuses
      const sinceTakeover = Date.now();
      await until(() => firstPollsAfter(sinceTakeover, [agentOf(other)]), {
        timeoutMs: Math.max(LEASE_MS * 4, FLEET_MS),
        everyMs: 100,
        what: "other worker polls all",
      });
      const before = await lastAttempts();

      paused.kill("SIGCONT");
      const refused = await paused.waitForLog(
        (l) => l.msg === "collector results refused by the shard fence",
        30_000,
      );
      expect(Number(refused.results)).toBeGreaterThan(0);
      // it notices the loss, rejoins as a live worker and gets its share back
      await balancedAmong([paused, other], LEASE_MS * 4);
      const after = await lastAttempts();
      const wentBack = [...before]
        .filter(([id, at]) => (after.get(id) ?? 0) < at)
        .map(([id]) => keyOf.get(id));
      console.log("SIGSTOP", { pausedMs: Date.now() - stoppedAt, refused: refused.results, wentBack });
      expect(wentBack).toEqual([]);
    },
    180_000 * SCALE,
  );
});
