import "server-only";
import { EventEmitter } from "node:events";
import { BroadcastChannel } from "node:worker_threads";
import type { Tx } from "@/lib/db/client";
import { log } from "@/lib/log";
import { WorkEvents } from "./events";
import {
  type ClaimedJob,
  claim,
  complete,
  extendClaim,
  fencedJob,
  JobLost,
  releaseClaim,
  retry,
} from "./jobs";
import { type BackoffPolicy, DEFAULT_JOB_BACKOFF, renewEveryMs } from "./policy";

// Runs the jobs of one queue in this process: claims up to `concurrency` at a
// time, keeps each claim alive while its handler runs, completes or retries it
// with the claim's epoch, and stops on an AbortSignal. Tests await its events.

export interface JobContext {
  /** aborted on shutdown or when the claim was taken over (signal.reason says which) */
  signal: AbortSignal;
  /** writes + the claim check in one transaction; throws JobLost when taken over */
  fenced<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** completes the job inside your transaction (with your own writes); the runner then does not */
  completeIn(tx: Tx, result?: unknown): Promise<void>;
}

export type JobHandler<P> = (job: ClaimedJob<P>, ctx: JobContext) => Promise<unknown>;

export interface RunnerOptions<P> {
  queue: string;
  /** instance id of this process */
  owner: string;
  handler: JobHandler<P>;
  concurrency?: number;
  leaseMs?: number;
  /** how often to look for due jobs when nothing wakes the runner earlier */
  pollMs?: number;
  backoff?: BackoffPolicy;
  now?: () => number;
}

export type RunnerEvents = {
  claimed: [ClaimedJob];
  completed: [ClaimedJob, unknown];
  retrying: [ClaimedJob, Error];
  failed: [ClaimedJob, Error];
  /** the claim was taken over (lease expired): nothing of this run was committed by the runner */
  lost: [ClaimedJob];
  /** a poll found nothing to do and nothing runs */
  idle: [];
  error: [unknown];
  stopped: [];
};

const wakeups = new EventEmitter();
wakeups.setMaxListeners(0);

// The runners may sit in another thread of this process (the web server's
// worker thread, lib/worker/thread.ts): a wake-up reaches every thread's
// channel of this name. Unref'd: it must not keep a process alive.
const otherThreads = new BroadcastChannel("outpost:work-wakeups");
otherThreads.unref();
otherThreads.onmessage = (event) => {
  const queue: unknown = (event as { data?: unknown }).data;
  if (typeof queue === "string") wakeups.emit(queue);
};

/** Tells this process's runners of `queue`, in any thread, that work is waiting (call after enqueue commits). */
export function wakeQueue(queue: string): void {
  wakeups.emit(queue);
  otherThreads.postMessage(queue);
}

export const SHUTDOWN = "shutdown";
export const TAKEN_OVER = "taken over";

export class Runner<P = unknown> {
  readonly events = new WorkEvents<RunnerEvents>();
  private readonly opts: Required<Omit<RunnerOptions<P>, "backoff">> & { backoff: BackoffPolicy };
  private readonly active = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();
  /**
   * Each running handler's own controller, aborted by stop(). Not listeners on `stopping`:
   * more than ten at once (the deploy runner runs 16) made Node warn of a listener leak.
   */
  private readonly handlerAborts = new Set<AbortController>();
  private wake: (() => void) | null = null;
  /** a poke that came while the loop was busy claiming: look again at once */
  private isWakePending = false;
  private loop: Promise<void> | null = null;

  constructor(opts: RunnerOptions<P>) {
    this.opts = {
      concurrency: 4,
      leaseMs: 30_000,
      pollMs: 1_000,
      now: Date.now,
      ...opts,
      backoff: opts.backoff ?? DEFAULT_JOB_BACKOFF,
    };
  }

  get running(): number {
    return this.active.size;
  }

  start(signal?: AbortSignal): this {
    if (this.loop) return this;
    signal?.addEventListener("abort", () => void this.stop(), { once: true });
    const onWake = () => this.poke();
    wakeups.on(this.opts.queue, onWake);
    this.loop = this.run().finally(() => {
      wakeups.off(this.opts.queue, onWake);
    });
    return this;
  }

  /** Look for work now instead of at the next poll. */
  poke(): void {
    if (this.wake) this.wake();
    else this.isWakePending = true;
  }

  /** Stops claiming, aborts running handlers (their claims go back to the queue) and waits for them. */
  async stop(): Promise<void> {
    if (!this.stopping.signal.aborted) this.stopping.abort(SHUTDOWN);
    for (const abort of this.handlerAborts) abort.abort(SHUTDOWN);
    this.poke();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { queue, owner, concurrency, leaseMs, pollMs, now } = this.opts;
    while (!this.stopping.signal.aborted) {
      this.isWakePending = false;
      let found = 0;
      const free = concurrency - this.active.size;
      if (free > 0) {
        try {
          const jobs = await claim(queue, owner, { limit: free, leaseMs, now: now() });
          found = jobs.length;
          for (const job of jobs) this.launch(job as ClaimedJob<P>);
        } catch (err) {
          log.warn("work claim failed", { queue, error: String(err) });
          this.events.emit("error", err);
        }
      }
      if (found === 0 && this.active.size === 0) this.events.emit("idle");
      // Claim again at once while jobs keep coming and slots are free.
      if ((found > 0 && found === free) || this.isWakePending) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
    await Promise.allSettled([...this.active.values()]);
    this.events.emit("stopped");
  }

  private launch(job: ClaimedJob<P>): void {
    this.events.emit("claimed", job);
    const run = this.execute(job).finally(() => {
      this.active.delete(job.id);
      this.poke();
    });
    this.active.set(job.id, run);
  }

  private async execute(job: ClaimedJob<P>): Promise<void> {
    const { leaseMs, now } = this.opts;
    const abort = new AbortController();
    this.handlerAborts.add(abort);
    // Claimed while stop() was already under way: the handler starts stopped.
    if (this.stopping.signal.aborted) abort.abort(SHUTDOWN);
    let current = job;
    const heartbeat = setInterval(() => {
      extendClaim(current, leaseMs, { now: now() })
        .then((extended) => {
          current = extended;
        })
        .catch((err) => {
          if (err instanceof JobLost) abort.abort(TAKEN_OVER);
        });
    }, renewEveryMs(leaseMs));
    heartbeat.unref();
    let isCompleted = false;
    const ctx: JobContext = {
      signal: abort.signal,
      fenced: (fn) => fencedJob(job, fn),
      completeIn: async (tx, result) => {
        await complete(job, { tx, result, now: now() });
        isCompleted = true;
      },
    };
    try {
      const result = await this.opts.handler(job, ctx);
      if (!isCompleted) await complete(job, { result, now: now() });
      this.events.emit("completed", job, result);
    } catch (err) {
      await this.afterFailure(job, err, abort.signal);
    } finally {
      clearInterval(heartbeat);
      this.handlerAborts.delete(abort);
    }
  }

  private async afterFailure(job: ClaimedJob<P>, err: unknown, signal: AbortSignal): Promise<void> {
    const { queue, now, backoff } = this.opts;
    if (err instanceof JobLost || signal.reason === TAKEN_OVER) {
      this.events.emit("lost", job);
      return;
    }
    try {
      if (signal.reason === SHUTDOWN) {
        await releaseClaim(job, { now: now() });
        return;
      }
      const error = err instanceof Error ? err : new Error(String(err));
      const outcome = await retry(job, error.message, { backoff, now: now() });
      if (outcome === "failed") log.warn("job failed", { queue, key: job.key, error: error.message });
      this.events.emit(outcome, job, error);
    } catch (finishErr) {
      if (finishErr instanceof JobLost) this.events.emit("lost", job);
      else this.events.emit("error", finishErr);
    }
  }
}

export function createRunner<P = unknown>(opts: RunnerOptions<P>): Runner<P> {
  return new Runner(opts);
}
