import "server-only";
import { fenced, type Lease } from "@/lib/work/lease";
import { createRunner, wakeQueue } from "@/lib/work/runner";
import type { WorkerService } from "@/lib/work/service";
import { singleton } from "@/lib/work/singleton";
import { alertsExternalUrl, evaluationIntervalMs, retryPolicy } from "./config";
import { DELIVERY_QUEUE, type DeliveryPayload, deliver, enqueueDelivery } from "./dispatch";
import { AlertEngine } from "./engine";

// The alerts' two worker-host services: the evaluator, a singleton (exactly one
// process evaluates the fleet; every write is fenced by its lease epoch), and
// the notification dispatch, an outbox runner on every worker.

export const EVALUATOR_LEASE_MS = 30_000;

/** An engine per lease term: a new holder re-reads state another holder may have moved on. */
function engineFor(lease: Lease): AlertEngine {
  return new AlertEngine({
    transaction: (fn) => fenced(lease, fn),
    enqueueDelivery,
    afterCommit: () => wakeQueue(DELIVERY_QUEUE),
    externalUrl: alertsExternalUrl(),
    intervalMs: evaluationIntervalMs(),
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
      leaseMs: EVALUATOR_LEASE_MS,
      async run(lease) {
        if (current?.epoch !== lease.epoch) current = { epoch: lease.epoch, engine: engineFor(lease) };
        await current.engine.evaluate();
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
      leaseMs: 30_000,
      pollMs: 2_000,
      backoff: { baseMs: policy.baseMs, maxMs: policy.maxMs, jitter: 0.2 },
      handler: (job, jobCtx) => deliver(job, jobCtx, policy),
    });
    runner.start(ctx.signal);
    return { stop: () => runner.stop() };
  },
};
