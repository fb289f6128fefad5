import "server-only";
import { db } from "@/lib/db/client";
import { decodePolls } from "@/lib/health/link";
import type { ClusterSnapshot } from "@/lib/health/types";
import { type ClusterClient, openClusterClient, ReachFailure } from "@/lib/kube/cluster-client";
import type { ReachError } from "@/lib/kube/error-class";
import type { KnownCertificate, SessionPolicy } from "@/lib/kube/tls-session";
import { log } from "@/lib/log";
import { clusterUrlPolicy } from "@/lib/net/policy";
import type { UrlPolicy } from "@/lib/net/url-policy";
import { decryptSecret } from "@/lib/secrets/crypto";
import type { ShardFence } from "@/lib/work/shards";
import { emptyLinkRecord, type LinkRecord, recordPoll } from "./contact-log";
import { type NodeUsage, pollCluster, SLOW_LINK_PARALLELISM } from "./poll";
import { DEFAULT_SCHEDULE, initialDelay, nextDelay, pickDue, type ScheduleConfig } from "./schedule";
import { type BatchOps, type PollResult, writeResults } from "./write";

// Keeps every registered cluster's last-known state fresh: bounded worker pool,
// jittered schedule, exponential backoff, one agent per cluster, link quality
// (slow, intermittent) judged from the latest polls, and results written in
// batches so SQLite keeps up with thousands of clusters.

/**
 * A backstop for the whole poll. Each step has its own deadline (connect,
 * every request on the wire), so this only fires when something is wrong with
 * the collector itself; slow links that answer finish well inside it.
 */
export const POLL_DEADLINE_MS = 60_000;
const TICK_MS = 200;

export type CollectorConnections = "keep-alive" | "per-poll";

export interface CollectorOptions {
  /** more writes for the transaction of a batch, from the results it writes (the fleet summary's marks) */
  batchOps?: BatchOps;
  schedule?: Partial<ScheduleConfig>;
  concurrency?: number;
  flushEveryMs?: number;
  reloadEveryMs?: number;
  policy?: UrlPolicy;
  /** TCP + TLS deadline per connection (tests shorten it) */
  connectTimeoutMs?: number;
  /** how long TLS sessions are resumed before the certificate is verified again (tests shorten it) */
  session?: Partial<SessionPolicy>;
  /**
   * keep-alive (default): one connection kept per cluster between polls, verified
   * again by a full handshake every few minutes; per-poll: a healthy link's
   * connection is closed after each poll and the next one resumes its TLS
   * session, which saves an idle TLS socket (~47 KB) per cluster for ~1 ms of CPU
   * per poll (bench: memory). Slow links keep theirs either way: a reconnect
   * there costs seconds.
   */
  connections?: CollectorConnections;
  /**
   * keep-alive only: at most this many healthy links keep their connection
   * between polls (default: all); the rest close it after each poll and resume
   * their TLS session next time. A kept TLS connection costs ~50 KB of native
   * memory, a resumed reconnect ~1–2 ms of CPU (bench: memory), so this caps the
   * collector's memory at a known CPU price. Slots go to the first clusters to
   * ask and stay theirs while their connection lives: with every cluster polled
   * at the same cadence an LRU would evict each one just before its next poll.
   */
  maxKeptConnections?: number;
  /** the clusters this collector polls (all by default): a shard of the fleet */
  owns?: (clusterId: string) => boolean;
  /**
   * Sharded collection: every poll takes its shard's lease (with the epoch) when
   * it starts, and the write refuses results whose lease is no longer held.
   */
  fence?: ShardFence;
  /** User-Agent of every request (the worker host sends Outpost/<instance id>) */
  userAgent?: string;
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
  /** settles when the poll in flight is done */
  running: Promise<void> | null;
  polls: number;
  link: LinkRecord;
  /** the server certificate seen last (survives a new client, and a restart through the status row) */
  knownCert: KnownCertificate | null;
  /** detail-only parts, carried between light polls */
  detail:
    | (Pick<ClusterSnapshot, "workloadProblems" | "warningEvents" | "gitVersion" | "platform"> & {
        usage: ReadonlyMap<string, NodeUsage> | null;
      })
    | null;
}

export interface CollectorStats {
  clusters: number;
  inFlight: number;
  polls: number;
  failures: number;
  writes: number;
  lastFlushMs: number;
  /** polls whose outcome (reached or not) differs from the one before: one contact row each, the way before runs */
  transitions: number;
  /** results the shard fence refused: polled under a lease this worker had lost by the time it wrote */
  refused: number;
  openClients: number;
  /** clusters holding a kept-connection slot (maxKeptConnections) */
  keptSlots: number;
  sockets: number;
  /** TLS handshakes of the clients open now: full (certificate verified) and resumed */
  handshakes: { full: number; resumed: number };
}

/** What one flush wrote: every cluster whose status row changed. */
export interface WriteEvent {
  clusterIds: string[];
}

/** Results one flush could not write: the shard leases they were polled under are gone. */
export interface RefusedEvent {
  clusterIds: string[];
  /** "<shard lease>@<epoch>" of each refused result's lease */
  leases: string[];
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
  private readonly batchOps: CollectorOptions["batchOps"];
  private readonly owns: (clusterId: string) => boolean;
  private readonly fence: ShardFence | undefined;
  private readonly userAgent: string | undefined;
  /** after the first reload, clusters that join (a shard taken over, a new registration) keep their cadence */
  private hasLoaded = false;
  private readonly connectTimeoutMs: number | undefined;
  private readonly session: Partial<SessionPolicy> | undefined;
  /** how many healthy links may keep a connection between polls (0: per-poll, Infinity: all) */
  private readonly maxKept: number;
  /** clusters whose connection is kept between polls (slow links keep theirs outside this cap) */
  private readonly kept = new Set<string>();
  private readonly writeListeners: ((event: WriteEvent) => void)[] = [];
  private readonly refusedListeners: ((event: RefusedEvent) => void)[] = [];
  private timers: NodeJS.Timeout[] = [];
  private inFlight = 0;
  private inFlightFailing = 0;
  private counters = { polls: 0, failures: 0, writes: 0, lastFlushMs: 0, transitions: 0, refused: 0 };
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
    this.batchOps = opts.batchOps;
    this.owns = opts.owns ?? (() => true);
    this.fence = opts.fence;
    this.userAgent = opts.userAgent;
    this.connectTimeoutMs = opts.connectTimeoutMs;
    this.session = opts.session;
    this.maxKept =
      (opts.connections ?? "keep-alive") === "per-poll"
        ? 0
        : Math.max(0, opts.maxKeptConnections ?? Number.POSITIVE_INFINITY);
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
    for (const e of this.entries.values()) this.closeClient(e);
  }

  /** Closes a cluster's client; its kept-connection slot is free for another cluster. */
  private closeClient(e: Entry): void {
    e.client?.close();
    e.client = undefined;
    this.kept.delete(e.id);
  }

  /** Whether this cluster's connection stays open after its poll: a slot it holds, or a free one it takes. */
  private keepsConnection(e: Entry): boolean {
    if (this.kept.has(e.id)) return true;
    if (this.kept.size >= this.maxKept) return false;
    this.kept.add(e.id);
    return true;
  }

  /** Called after every flush with the clusters it wrote (incremental summaries, tests). */
  onWrite(listener: (event: WriteEvent) => void): () => void {
    this.writeListeners.push(listener);
    return () => {
      const i = this.writeListeners.indexOf(listener);
      if (i >= 0) this.writeListeners.splice(i, 1);
    };
  }

  /** Called when the shard fence refused results (a paused worker resumed after its shards moved on). */
  onRefused(listener: (event: RefusedEvent) => void): () => void {
    this.refusedListeners.push(listener);
    return () => {
      const i = this.refusedListeners.indexOf(listener);
      if (i >= 0) this.refusedListeners.splice(i, 1);
    };
  }

  /**
   * Stops polling the clusters `drop` selects (their shards are being handed
   * over or were lost), waits for their polls in flight and writes what is
   * buffered: a hand-over leaves the status rows current for the next owner,
   * which continues each cluster's cadence from them.
   */
  async release(drop: (clusterId: string) => boolean): Promise<void> {
    const inFlight: Promise<void>[] = [];
    for (const [id, e] of this.entries) {
      if (!drop(id)) continue;
      this.entries.delete(id);
      if (e.running) inFlight.push(e.running.then(() => this.closeClient(e)));
      else this.closeClient(e);
    }
    await Promise.allSettled(inFlight);
    await this.flush();
  }

  stats(): CollectorStats {
    let openClients = 0;
    let sockets = 0;
    const handshakes = { full: 0, resumed: 0 };
    for (const e of this.entries.values()) {
      if (e.client) {
        openClients++;
        sockets += e.client.socketCount();
        const h = e.client.handshakes();
        handshakes.full += h.full;
        handshakes.resumed += h.resumed;
      }
    }
    return {
      clusters: this.entries.size,
      inFlight: this.inFlight,
      ...this.counters,
      openClients,
      keptSlots: this.kept.size,
      sockets,
      handshakes,
    };
  }

  /** Syncs the in-memory schedule with the registry: new clusters, removed ones, rotated kubeconfigs. */
  async reload(): Promise<void> {
    const rows = await db().cluster.findMany({
      select: {
        id: true,
        updatedAt: true,
        status: {
          select: {
            consecutiveFailures: true,
            lastErrorClass: true,
            lastSuccessAt: true,
            lastAttemptAt: true,
            recentPolls: true,
            flapSince: true,
            flapPolls: true,
            flapFailures: true,
            slowSince: true,
            serverCertFingerprint: true,
            serverCertNotAfter: true,
          },
        },
      },
    });
    const now = this.now();
    const seen = new Set<string>();
    for (const row of rows) {
      if (!this.owns(row.id)) continue;
      seen.add(row.id);
      const version = row.updatedAt.getTime();
      const existing = this.entries.get(row.id);
      if (existing) {
        if (existing.version !== version) {
          this.closeClient(existing);
          existing.version = version;
        }
        continue;
      }
      const status = row.status;
      const failures = status?.consecutiveFailures ?? 0;
      const outcomes = decodePolls(status?.recentPolls);
      this.entries.set(row.id, {
        id: row.id,
        version,
        client: undefined,
        dueAt: this.firstDueAt(now, failures, status?.lastAttemptAt ?? null),
        consecutiveFailures: failures,
        isInFlight: false,
        running: null,
        polls: 0,
        link: status
          ? {
              outcomes,
              times: outcomes.map(() => null),
              isReachable: status.lastAttemptAt ? failures === 0 : null,
              flapSince: status.flapSince?.getTime() ?? null,
              flapPolls: status.flapPolls,
              flapFailures: status.flapFailures,
              slowSince: status.slowSince?.getTime() ?? null,
              // what the open down or run row says (written with the status row, in one transaction)
              failureClass: failures > 0 || status.flapSince ? status.lastErrorClass : null,
            }
          : emptyLinkRecord(),
        knownCert:
          status?.serverCertFingerprint && status.serverCertNotAfter
            ? {
                fingerprint256: status.serverCertFingerprint,
                notAfter: status.serverCertNotAfter.toISOString(),
              }
            : null,
        detail: null,
      });
    }
    for (const [id, e] of this.entries) {
      if (!seen.has(id)) {
        this.closeClient(e);
        this.entries.delete(id);
      }
    }
    this.hasLoaded = true;
  }

  /**
   * At start-up first polls spread over one interval (a restart does not hit
   * every site at once). A cluster that joins later — its shard taken over from
   * another worker — continues its cadence from its last attempt, so a hand-over
   * neither polls it twice in one interval nor leaves a gap; overdue ones (their
   * worker died) are polled at once, as the worker pool allows.
   */
  private firstDueAt(now: number, failures: number, lastAttemptAt: Date | null): number {
    if (!this.hasLoaded || lastAttemptAt === null) return now + initialDelay(this.schedule, this.random());
    return Math.max(now, lastAttemptAt.getTime() + nextDelay(this.schedule, failures, this.random()));
  }

  private tick(): void {
    if (this.isStopped) return;
    const free = this.concurrency - this.inFlight;
    const idle = [...this.entries.values()].filter((e) => !e.isInFlight);
    for (const entry of pickDue(idle, this.now(), free, this.inFlightFailing, this.concurrency))
      void this.launch(entry);
    if (this.pending.length >= 500) void this.flush();
  }

  private launch(entry: Entry): Promise<void> {
    entry.isInFlight = true;
    const isFailing = entry.consecutiveFailures > 0;
    this.inFlight++;
    if (isFailing) this.inFlightFailing++;
    const run = this.pollOne(entry).finally(() => {
      entry.isInFlight = false;
      entry.running = null;
      this.inFlight--;
      if (isFailing) this.inFlightFailing--;
      this.running.delete(run);
    });
    entry.running = run;
    this.running.add(run);
    return run;
  }

  private async clientFor(entry: Entry): Promise<ClusterClient> {
    if (entry.client) return entry.client;
    const row = await db().cluster.findUnique({ where: { id: entry.id }, select: { kubeconfigEnc: true } });
    if (!row) throw new ReachFailure({ errorClass: "unknown", message: "cluster was removed" });
    entry.client = await openClusterClient(decryptSecret(row.kubeconfigEnc), this.policy, {
      idleTimeoutMs: Math.max(60_000, 3 * this.schedule.intervalMs),
      ...(this.connectTimeoutMs ? { connectTimeoutMs: this.connectTimeoutMs } : {}),
      ...(this.session ? { session: this.session } : {}),
      knownCertificate: entry.knownCert,
      // the collector's clock dates the sessions too, so a test or bench clock ages them alike
      now: this.now,
      ...(this.userAgent ? { userAgent: this.userAgent } : {}),
      // A kept connection needs no session to resume; closed ones live on it.
      resumeSessions: this.maxKept !== Number.POSITIVE_INFINITY,
    });
    return entry.client;
  }

  private async pollOne(entry: Entry): Promise<void> {
    const lease = this.fence?.tokenFor(entry.id) ?? undefined;
    if (this.fence && !lease) {
      // its shard went away since the last reload: not ours to poll
      this.entries.delete(entry.id);
      this.closeClient(entry);
      return;
    }
    // The lease ran out before its renewal (this process was paused or starved):
    // another worker may own the shard by now and the write would be refused.
    // Wait (due again next tick) until the shard owner renews it or drops it.
    if (lease && lease.expiresAt.getTime() <= this.now()) return;
    const at = this.now();
    const isDetailed = entry.polls % this.schedule.detailEvery === 0;
    const isSlow = entry.link.slowSince !== null;
    entry.polls++;
    this.counters.polls++;
    let deadline: NodeJS.Timeout | undefined;
    try {
      const client = await this.clientFor(entry);
      const report = await Promise.race([
        pollCluster(
          client,
          {
            isDetailed,
            parallelism: isSlow ? SLOW_LINK_PARALLELISM : 1,
            ...(entry.detail?.usage ? { usage: entry.detail.usage } : {}),
          },
          this.now,
        ),
        new Promise<never>((_, reject) => {
          deadline = setTimeout(
            () =>
              reject(
                new ReachFailure({
                  errorClass: "timeout",
                  message: `poll not complete within ${POLL_DEADLINE_MS / 1000} s`,
                }),
              ),
            POLL_DEADLINE_MS,
          );
        }),
      ]);
      const { snapshot } = report;
      if (isDetailed) {
        entry.detail = {
          workloadProblems: snapshot.workloadProblems,
          warningEvents: snapshot.warningEvents,
          gitVersion: snapshot.gitVersion,
          platform: snapshot.platform,
          usage: report.usage,
        };
      } else if (entry.detail) {
        snapshot.workloadProblems = entry.detail.workloadProblems;
        snapshot.warningEvents = entry.detail.warningEvents;
        snapshot.gitVersion = entry.detail.gitVersion;
        snapshot.platform = entry.detail.platform;
      }
      // Slow links keep their connections: a reconnect there costs seconds.
      client.releaseIdle(isSlow || this.keepsConnection(entry));
      if (entry.link.isReachable === false) this.counters.transitions++;
      const recorded = recordPoll(entry.link, at, report.latencyMs, null, this.schedule.intervalMs);
      entry.link = recorded.record;
      entry.consecutiveFailures = 0;
      const ops = recorded.ops;
      const change = client.takeCertificateChange();
      if (change) {
        ops.push({
          op: "cert-changed",
          at,
          message: `the server presents a new certificate, valid until ${change.current.notAfter.slice(0, 10)} (issued by ${change.current.issuer})`,
        });
      }
      entry.knownCert = client.serverCertificate() ?? entry.knownCert;
      this.pending.push({
        clusterId: entry.id,
        at,
        isOk: true,
        seenAt: report.heartbeatAt || at,
        snapshot,
        link: recorded.record,
        ops,
        serverCert: entry.knownCert,
        ...(lease ? { lease } : {}),
      });
    } catch (err) {
      const reach: ReachError =
        err instanceof ReachFailure
          ? err.reach
          : { errorClass: "unknown", message: "unexpected collector error" };
      if (!(err instanceof ReachFailure))
        log.warn("collector poll error", { clusterId: entry.id, error: String(err) });
      // Sockets of a failed poll may be half-open: start clean next time (and re-resolve the name).
      this.closeClient(entry);
      entry.consecutiveFailures++;
      this.counters.failures++;
      if (entry.link.isReachable === true) this.counters.transitions++;
      const recorded = recordPoll(entry.link, at, null, reach, this.schedule.intervalMs);
      entry.link = recorded.record;
      this.pending.push({
        clusterId: entry.id,
        at,
        isOk: false,
        reach,
        failures: entry.consecutiveFailures,
        link: recorded.record,
        ops: recorded.ops,
        ...(lease ? { lease } : {}),
      });
    } finally {
      clearTimeout(deadline);
      // Due an interval after this poll began, so a slow poll does not stretch the period.
      const delay = nextDelay(this.schedule, entry.consecutiveFailures, this.random());
      entry.dueAt = Math.max(this.now(), at + delay);
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
    const { written, refused } = await writeResults(batch, this.fence, this.batchOps);
    this.counters.writes += batch.length - refused.length;
    this.counters.refused += refused.length;
    this.counters.lastFlushMs = Math.round(performance.now() - started);
    if (written.length > 0) for (const l of this.writeListeners) l({ clusterIds: written });
    if (refused.length > 0) {
      log.warn("collector results refused by the shard fence", { results: refused.length });
      const event = {
        clusterIds: [...new Set(refused.map((r) => r.clusterId))],
        leases: [...new Set(refused.map((r) => (r.lease ? `${r.lease.name}@${r.lease.epoch}` : "none")))],
      };
      for (const l of this.refusedListeners) l(event);
    }
  }

  /** Polls every cluster once, now, and waits for all results to be written (benchmarks, tests, "refresh"). */
  async sweepOnce(): Promise<{ ms: number; ok: number; failed: number }> {
    if (this.entries.size === 0) await this.reload();
    const started = performance.now();
    const before = { polls: this.counters.polls, failures: this.counters.failures };
    const queue = [...this.entries.values()];
    const workers = Array.from({ length: Math.min(this.concurrency, queue.length) }, async () => {
      for (let e = queue.shift(); e; e = queue.shift()) {
        // A scheduled poll of this cluster is in flight: this sweep's poll follows it.
        while (e.running) await e.running;
        await this.launch(e);
      }
    });
    await Promise.all(workers);
    await this.flush();
    const polls = this.counters.polls - before.polls;
    const failed = this.counters.failures - before.failures;
    return { ms: Math.round(performance.now() - started), ok: polls - failed, failed };
  }
}
