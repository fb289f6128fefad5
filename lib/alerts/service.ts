import "server-only";
import { log } from "@/lib/log";
import { fenced, type Lease, LeaseLost } from "@/lib/work/lease";
import { createRunner, wakeQueue } from "@/lib/work/runner";
import type { WorkerService } from "@/lib/work/service";
import { singleton } from "@/lib/work/singleton";
import { alertsExternalUrl, evaluationIntervalMs, ingestDelayMs, leaseMs, retryPolicy } from "./config";
import { DELIVERY_QUEUE, type DeliveryPayload, deliver, enqueueDelivery } from "./dispatch";
import { AlertEngine } from "./engine";

// The alerts' two worker-host services: the evaluator, a singleton (exactly one
// process evaluates the fleet; every write is fenced by its lease epoch), and
// the notification dispatch, an outbox runner on every worker.

/** How often an idle dispatcher looks for due deliveries (a wake-up in this process comes sooner). */
const DISPATCH_POLL_MS = 2_000;

/** An engine per lease term: a new holder re-reads state another holder may have moved on. */
function engineFor(lease: Lease): AlertEngine {
  return new AlertEngine({
    transaction: (fn) => fenced(lease, fn),
    enqueueDelivery,
    afterCommit: () => wakeQueue(DELIVERY_QUEUE),
    externalUrl: alertsExternalUrl(),
    intervalMs: evaluationIntervalMs(),
    ingestDelayMs: ingestDelayMs(),
  });
}

export const alertsEvaluatorService: WorkerService = {
  name: "alerts-evaluator",
  start(ctx) {
    let current: { epoch: number; engine: AlertEngine } | null = null;
    return singleton({
      name: "alerts-evaluator",
      owner: ctx.instanceId,
      intervalMs: evaluationIntervalMs(),
      leaseMs: leaseMs(),
      async run(lease) {
        if (current?.epoch !== lease.epoch) current = { epoch: lease.epoch, engine: engineFor(lease) };
        try {
          await current.engine.evaluate();
        } catch (err) {
          // Paused past the lease and resumed: another instance evaluates now; nothing of this run was written.
          if (err instanceof LeaseLost)
            log.warn("alerts evaluation refused by the lease fence", { epoch: lease.epoch });
          throw err;
        }
      },
    });
  },
};

export const alertsDispatchService: WorkerService = {
  name: "alerts-dispatch",
  start(ctx) {
    const policy = retryPolicy();
    const runner = createRunner<DeliveryPayload>({
      queue: DELIVERY_QUEUE,
      owner: ctx.instanceId,
      concurrency: 8,
      leaseMs: leaseMs(),
      pollMs: Math.min(DISPATCH_POLL_MS, leaseMs() / 3),
      backoff: { baseMs: policy.baseMs, maxMs: policy.maxMs, jitter: 0.2 },
      handler: (job, jobCtx) => deliver(job, jobCtx, policy),
    });
    runner.start(ctx.signal);
    return { stop: () => runner.stop() };
  },
};
