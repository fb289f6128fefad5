import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { summarizeSnapshot } from "@/lib/health/summary";
import type { ClusterSnapshot } from "@/lib/health/types";
import { type ClusterClient, openClusterClient, ReachFailure } from "@/lib/kube/cluster-client";
import type { ReachError } from "@/lib/kube/error-class";
import { log } from "@/lib/log";
import { clusterUrlPolicy } from "@/lib/net/policy";
import type { UrlPolicy } from "@/lib/net/url-policy";
import { decryptSecret } from "@/lib/secrets/crypto";
import { pollCluster } from "./poll";
import { DEFAULT_SCHEDULE, initialDelay, nextDelay, pickDue, type ScheduleConfig } from "./schedule";

// Keeps every registered cluster's last-known state fresh: bounded worker pool,
// jittered schedule, exponential backoff, one keep-alive agent per cluster, and
// results written in batches so SQLite keeps up with thousands of clusters.

export const POLL_DEADLINE_MS = 10_000;
/** rows per multi-row upsert: 8 columns × 250 stays far below SQLite's and PostgreSQL's parameter limits */
const WRITE_CHUNK = 250;

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// One multi-row INSERT … ON CONFLICT per chunk instead of a Prisma upsert per
// cluster: at 10,000 clusters per sweep the per-statement overhead dominated.
// Standard SQL; the driver adapter picks the placeholders (SQLite and PostgreSQL).
function upsertStatus(columns: string[], rows: unknown[][], overrides: Record<string, string> = {}) {
  const all = ["clusterId", ...columns];
  const names = Prisma.raw(all.map((c) => `"${c}"`).join(", "));
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(r)})`));
  const updates = Prisma.raw(columns.map((c) => `"${c}" = ${overrides[c] ?? `excluded."${c}"`}`).join(", "));
  return db().$executeRaw(
    Prisma.sql`INSERT INTO "ClusterStatus" (${names}) VALUES ${values} ON CONFLICT ("clusterId") DO UPDATE SET ${updates}`,
  );
}
const TICK_MS = 200;

export interface CollectorOptions {
  schedule?: Partial<ScheduleConfig>;
  concurrency?: number;
  flushEveryMs?: number;
  reloadEveryMs?: number;
  policy?: UrlPolicy;
  now?: () => number;
  random?: () => number;
}

interface Entry {
  id: string;
  version: number;
  client: ClusterClient | undefined;
  dueAt: number;
  consecutiveFailures: number;
  isInFlight: boolean;
  polls: number;
  lastSuccessAt: number | null;
  isReachable: boolean | null;
  /** detail-only parts, carried between light polls */
  detail: Pick<ClusterSnapshot, "workloadProblems" | "warningEvents" | "gitVersion" | "platform"> | null;
}

type PollResult =
  | { clusterId: string; at: number; isOk: true; snapshot: ClusterSnapshot; transition: "up" | null }
  | {
      clusterId: string;
      at: number;
      isOk: false;
      reach: ReachError;
      failures: number;
      transition: "down" | null;
    };

export interface CollectorStats {
  clusters: number;
  inFlight: number;
  polls: number;
  failures: number;
  writes: number;
  lastFlushMs: number;
  openClients: number;
  sockets: number;
}

export class Collector {
  private readonly entries = new Map<string, Entry>();
  private readonly pending: PollResult[] = [];
  private readonly schedule: ScheduleConfig;
  private readonly concurrency: number;
  private readonly flushEveryMs: number;
  private readonly reloadEveryMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly policy: UrlPolicy;
  private timers: NodeJS.Timeout[] = [];
  private inFlight = 0;
  private inFlightFailing = 0;
  private counters = { polls: 0, failures: 0, writes: 0, lastFlushMs: 0 };
  private flushing: Promise<void> = Promise.resolve();
  private isStopped = true;
  private readonly running = new Set<Promise<void>>();

  constructor(opts: CollectorOptions = {}) {
    this.schedule = { ...DEFAULT_SCHEDULE, ...opts.schedule };
    this.concurrency = opts.concurrency ?? 32;
    this.flushEveryMs = opts.flushEveryMs ?? 1_000;
    this.reloadEveryMs = opts.reloadEveryMs ?? 10_000;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.policy = opts.policy ?? clusterUrlPolicy();
  }

  async start(): Promise<void> {
    this.isStopped = false;
    await this.reload();
    this.timers = [
      setInterval(() => this.tick(), TICK_MS),
      setInterval(() => void this.flush(), this.flushEveryMs),
      setInterval(
        () => void this.reload().catch((err) => log.error("collector reload failed", { error: String(err) })),
        this.reloadEveryMs,
      ),
    ];
    for (const t of this.timers) t.unref();
  }

  async stop(): Promise<void> {
    this.isStopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await Promise.allSettled([...this.running]);
    await this.flush();
    for (const e of this.entries.values()) e.client?.close();
  }

  stats(): CollectorStats {
    let openClients = 0;
    let sockets = 0;
    for (const e of this.entries.values()) {
      if (e.client) {
        openClients++;
        sockets += e.client.socketCount();
      }
    }
    return { clusters: this.entries.size, inFlight: this.inFlight, ...this.counters, openClients, sockets };
  }

  /** Syncs the in-memory schedule with the registry: new clusters, removed ones, rotated kubeconfigs. */
  async reload(): Promise<void> {
    const rows = await db().cluster.findMany({
      select: {
        id: true,
        updatedAt: true,
        status: { select: { consecutiveFailures: true, lastSuccessAt: true, lastAttemptAt: true } },
      },
    });
    const now = this.now();
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      const version = row.updatedAt.getTime();
      const existing = this.entries.get(row.id);
      if (existing) {
        if (existing.version !== version) {
          existing.client?.close();
          existing.client = undefined;
          existing.version = version;
        }
        continue;
      }
      const failures = row.status?.consecutiveFailures ?? 0;
      const lastSuccessAt = row.status?.lastSuccessAt?.getTime() ?? null;
      this.entries.set(row.id, {
        id: row.id,
        version,
        client: undefined,
        dueAt: now + initialDelay(this.schedule, this.random()),
        consecutiveFailures: failures,
        isInFlight: false,
        polls: 0,
        lastSuccessAt,
        isReachable: row.status?.lastAttemptAt ? failures === 0 : null,
        detail: null,
      });
    }
    for (const [id, e] of this.entries) {
      if (!seen.has(id)) {
        e.client?.close();
        this.entries.delete(id);
      }
    }
  }

  private tick(): void {
    if (this.isStopped) return;
    const free = this.concurrency - this.inFlight;
    const idle = [...this.entries.values()].filter((e) => !e.isInFlight);
    for (const entry of pickDue(idle, this.now(), free, this.inFlightFailing, this.concurrency))
      this.launch(entry);
    if (this.pending.length >= 500) void this.flush();
  }

  private launch(entry: Entry): void {
    entry.isInFlight = true;
    const isFailing = entry.consecutiveFailures > 0;
    this.inFlight++;
    if (isFailing) this.inFlightFailing++;
    const run = this.pollOne(entry).finally(() => {
      entry.isInFlight = false;
      this.inFlight--;
      if (isFailing) this.inFlightFailing--;
      this.running.delete(run);
    });
    this.running.add(run);
  }

  private async clientFor(entry: Entry): Promise<ClusterClient> {
    if (entry.client) return entry.client;
    const row = await db().cluster.findUnique({ where: { id: entry.id }, select: { kubeconfigEnc: true } });
    if (!row) throw new ReachFailure({ errorClass: "unknown", message: "cluster was removed" });
    entry.client = await openClusterClient(decryptSecret(row.kubeconfigEnc), this.policy, {
      idleTimeoutMs: Math.max(60_000, 3 * this.schedule.intervalMs),
    });
    return entry.client;
  }

  private async pollOne(entry: Entry): Promise<void> {
    const at = this.now();
    const isDetailed = entry.polls % this.schedule.detailEvery === 0;
    entry.polls++;
    this.counters.polls++;
    let deadline: NodeJS.Timeout | undefined;
    try {
      const client = await this.clientFor(entry);
      const snapshot = await Promise.race([
        pollCluster(client, { isDetailed }, this.now),
        new Promise<never>((_, reject) => {
          deadline = setTimeout(
            () =>
              reject(
                new ReachFailure({
                  errorClass: "timeout",
                  message: `no complete answer within ${POLL_DEADLINE_MS / 1000} s`,
                }),
              ),
            POLL_DEADLINE_MS,
          );
        }),
      ]);
      if (isDetailed) {
        entry.detail = {
          workloadProblems: snapshot.workloadProblems,
          warningEvents: snapshot.warningEvents,
          gitVersion: snapshot.gitVersion,
          platform: snapshot.platform,
        };
      } else if (entry.detail) {
        Object.assign(snapshot, entry.detail);
      }
      const transition = entry.isReachable === true ? null : "up";
      entry.isReachable = true;
      entry.consecutiveFailures = 0;
      entry.lastSuccessAt = at;
      this.pending.push({ clusterId: entry.id, at, isOk: true, snapshot, transition });
    } catch (err) {
      const reach: ReachError =
        err instanceof ReachFailure
          ? err.reach
          : { errorClass: "unknown", message: "unexpected collector error" };
      if (!(err instanceof ReachFailure))
        log.warn("collector poll error", { clusterId: entry.id, error: String(err) });
      // Sockets of a failed poll may be half-open: start clean next time (and re-resolve the name).
      entry.client?.close();
      entry.client = undefined;
      const transition = entry.isReachable === false ? null : "down";
      entry.isReachable = false;
      entry.consecutiveFailures++;
      this.counters.failures++;
      this.pending.push({
        clusterId: entry.id,
        at,
        isOk: false,
        reach,
        failures: entry.consecutiveFailures,
        transition,
      });
    } finally {
      clearTimeout(deadline);
      entry.dueAt = this.now() + nextDelay(this.schedule, entry.consecutiveFailures, this.random());
    }
  }

  /** Writes buffered results in one transaction. Serialised: never two flushes at once. */
  flush(): Promise<void> {
    this.flushing = this.flushing
      .then(() => this.writeBatch())
      .catch((err) => {
        log.error("collector flush failed", { error: String(err) });
      });
    return this.flushing;
  }

  private async writeBatch(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.pending.length);
    const started = performance.now();
    const known = new Set(
      (
        await db().cluster.findMany({
          where: { id: { in: batch.map((r) => r.clusterId) } },
          select: { id: true },
        })
      ).map((c) => c.id),
    );
    const live = batch.filter((r) => known.has(r.clusterId));
    const ok = live.filter((r): r is Extract<PollResult, { isOk: true }> => r.isOk);
    const failed = live.filter((r): r is Extract<PollResult, { isOk: false }> => !r.isOk);
    const ops: Prisma.PrismaPromise<unknown>[] = [
      ...chunk(ok, WRITE_CHUNK).map((rows) =>
        upsertStatus(
          [
            "lastAttemptAt",
            "lastSuccessAt",
            "consecutiveFailures",
            "gitVersion",
            "summary",
            "snapshot",
            "updatedAt",
          ],
          rows.map((r) => [
            r.clusterId,
            new Date(r.at),
            new Date(r.at),
            0,
            r.snapshot.gitVersion,
            JSON.stringify(summarizeSnapshot(r.snapshot)),
            JSON.stringify(r.snapshot),
            new Date(r.at),
          ]),
          { gitVersion: `COALESCE(excluded."gitVersion", "ClusterStatus"."gitVersion")` },
        ),
      ),
      ...chunk(failed, WRITE_CHUNK).map((rows) =>
        upsertStatus(
          [
            "lastAttemptAt",
            "lastErrorAt",
            "lastErrorClass",
            "lastErrorMessage",
            "consecutiveFailures",
            "updatedAt",
          ],
          rows.map((r) => [
            r.clusterId,
            new Date(r.at),
            new Date(r.at),
            r.reach.errorClass,
            r.reach.message,
            r.failures,
            new Date(r.at),
          ]),
        ),
      ),
    ];
    const transitions = live.filter((r) => r.transition !== null);
    if (transitions.length > 0) {
      ops.push(
        db().contactEvent.createMany({
          data: transitions.map((r) => ({
            clusterId: r.clusterId,
            at: new Date(r.at),
            kind: r.isOk ? "up" : "down",
            errorClass: r.isOk ? null : r.reach.errorClass,
            message: r.isOk ? null : r.reach.message,
          })),
        }),
      );
    }
    if (ops.length > 0) await db().$transaction(ops);
    this.counters.writes += batch.length;
    this.counters.lastFlushMs = Math.round(performance.now() - started);
  }

  /** Polls every cluster once, now, and waits for all results to be written (benchmarks, tests, "refresh"). */
  async sweepOnce(): Promise<{ ms: number; ok: number; failed: number }> {
    if (this.entries.size === 0) await this.reload();
    const started = performance.now();
    const before = { polls: this.counters.polls, failures: this.counters.failures };
    const queue = [...this.entries.values()];
    const workers = Array.from({ length: Math.min(this.concurrency, queue.length) }, async () => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        while (e.isInFlight) await new Promise((r) => setTimeout(r, 20));
        e.isInFlight = true;
        try {
          await this.pollOne(e);
        } finally {
          e.isInFlight = false;
        }
      }
    });
    await Promise.all(workers);
    await this.flush();
    const polls = this.counters.polls - before.polls;
    const failed = this.counters.failures - before.failures;
    return { ms: Math.round(performance.now() - started), ok: polls - failed, failed };
  }
}
