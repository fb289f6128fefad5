import type { Lease } from "./lease";
import { type SingletonOptions, singleton } from "./singleton";

// What the worker host runs. A feature defines its service next to its code
// (e.g. lib/alerts/service.ts) and adds one line to lib/worker/services.ts.

export interface WorkerContext {
  /** this process's instance id: the owner of its leases and claims */
  instanceId: string;
  role: "web+worker" | "worker";
  /** aborted when the host stops */
  signal: AbortSignal;
}

export interface RunningService {
  stop(): Promise<void>;
}

export interface WorkerService {
  name: string;
  start(ctx: WorkerContext): Promise<RunningService> | RunningService;
}

/** A periodic job that one process of the deployment runs at a time (retention, rollout ticks, fleet-wide rules). */
export function singletonService(opts: Omit<SingletonOptions, "owner">): WorkerService {
  return { name: opts.name, start: (ctx) => singleton({ ...opts, owner: ctx.instanceId }) };
}

/**
 * A long-running service that only one process runs at a time: started when
 * this process takes the lease, stopped when it loses it (it may come back).
 */
export function exclusiveService(opts: {
  name: string;
  leaseMs: number;
  /** `lease` is held (at its epoch) until stop(): fence your writes with fenced(lease, tx => …) */
  start: (ctx: WorkerContext, lease: Lease) => Promise<RunningService>;
}): WorkerService {
  return {
    name: opts.name,
    start(ctx) {
      return singleton({
        name: `service:${opts.name}`,
        owner: ctx.instanceId,
        leaseMs: opts.leaseMs,
        intervalMs: 0,
        async run(lease, signal) {
          const running = await opts.start(ctx, lease);
          if (!signal.aborted) {
            await new Promise<void>((resolve) =>
              signal.addEventListener("abort", () => resolve(), { once: true }),
            );
          }
          await running.stop();
        },
      });
    },
  };
}
