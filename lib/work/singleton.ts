import "server-only";
import { log } from "@/lib/log";
import { WorkEvents } from "./events";
import { acquireLease, type Lease, LeaseLost, releaseLease, renewLease } from "./lease";
import { defaultMarginMs, renewEveryMs, trustedUntil } from "./policy";

// A loop that exactly one process runs at a time (fleet-wide rule evaluation,
// retention, rollout ticks): whoever holds the lease named `name` runs `run`
// every `intervalMs`; the others keep trying to take the lease over, which they
// can once the holder stops renewing it. Writes inside `run` go through
// fenced(lease, …) so a holder that lost the lease mid-run commits nothing.

export interface SingletonOptions {
  name: string;
  /** instance id of this process */
  owner: string;
  /** pause between the end of one run and the start of the next */
  intervalMs: number;
  leaseMs: number;
  run: (lease: Lease, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

export type SingletonEvents = {
  acquired: [Lease];
  /** the lease was taken over or could not be renewed in time: the current run's signal is aborted */
  lost: [Lease];
  ran: [Lease, { ms: number; error?: unknown }];
  stopped: [];
};

export interface Singleton {
  readonly events: WorkEvents<SingletonEvents>;
  /** the lease while this process holds it */
  lease(): Lease | null;
  stop(): Promise<void>;
}

export function singleton(opts: SingletonOptions): Singleton {
  const now = opts.now ?? Date.now;
  const events = new WorkEvents<SingletonEvents>();
  // Holders renew, others try to take over, every third of the lease.
  const tickMs = renewEveryMs(opts.leaseMs);
  const marginMs = defaultMarginMs(opts.leaseMs);
  let held: Lease | null = null;
  let trusted = 0;
  let runAbort: AbortController | null = null;
  let running: Promise<void> | null = null;
  let nextRunAt = 0;
  let isStopped = false;
  let wake: (() => void) | null = null;

  const lose = () => {
    if (!held) return;
    const lost = held;
    held = null;
    runAbort?.abort(new LeaseLost(lost));
    events.emit("lost", lost);
  };

  const startRun = (lease: Lease) => {
    const abort = new AbortController();
    runAbort = abort;
    const started = now();
    running = opts
      .run(lease, abort.signal)
      .then(
        () => events.emit("ran", lease, { ms: now() - started }),
        (error: unknown) => {
          if (!(error instanceof LeaseLost))
            log.warn("singleton run failed", { name: opts.name, error: String(error) });
          events.emit("ran", lease, { ms: now() - started, error });
        },
      )
      .finally(() => {
        running = null;
        runAbort = null;
        nextRunAt = now() + opts.intervalMs;
        wake?.();
      });
  };

  const tick = async () => {
    const startedAt = now();
    try {
      if (held) {
        held = await renewLease(held, opts.leaseMs, { now: startedAt });
        trusted = trustedUntil(startedAt, opts.leaseMs, marginMs);
      } else {
        held = await acquireLease(opts.name, opts.owner, opts.leaseMs, { now: startedAt });
        if (held) {
          trusted = trustedUntil(startedAt, opts.leaseMs, marginMs);
          nextRunAt = startedAt;
          events.emit("acquired", held);
        }
      }
    } catch (err) {
      if (err instanceof LeaseLost) lose();
      else log.warn("singleton lease check failed", { name: opts.name, error: String(err) });
    }
    // A database we cannot reach for longer than the safety margin leaves: stop trusting.
    if (held && now() >= trusted) lose();
    if (held && !running && now() >= nextRunAt) startRun(held);
  };

  const loop = (async () => {
    while (!isStopped) {
      await tick();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          done,
          Math.max(0, Math.min(tickMs, (held && !running ? nextRunAt : Infinity) - now())),
        );
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      });
    }
    // (assigned inside callbacks, which TypeScript's narrowing does not see)
    (runAbort as AbortController | null)?.abort(new Error("shutdown"));
    await running;
    if (held) await releaseLease(held).catch(() => undefined);
    held = null;
    events.emit("stopped");
  })();

  return {
    events,
    lease: () => held,
    async stop() {
      isStopped = true;
      wake?.();
      await loop;
    },
  };
}
