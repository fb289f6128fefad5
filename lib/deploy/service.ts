import "server-only";
import { createRunner } from "@/lib/work/runner";
import type { RunningService, WorkerService } from "@/lib/work/service";
import { singleton } from "@/lib/work/singleton";
import { closeAllClients } from "./clients";
import { runDriftSweep } from "./drift";
import { runPreviewJob } from "./previews";
import { deploySettings, QUEUES } from "./settings";
import { runApplyJob, runCheckJob } from "./target-jobs";
import { tickRollouts } from "./tick";

// The deploy runner in the worker host: the engine's tick and the drift sweep
// as singletons (one process at a time, fenced by their leases), and the
// preview, apply and check queues as job runners in every worker process, each
// bounded to OUTPOST_DEPLOY_CONCURRENCY jobs (and the per-site limit inside).

const JOB_LEASE_MS = 60_000;

export const deployService: WorkerService = {
  name: "deploy",
  start(ctx): RunningService {
    const s = deploySettings();
    const pollMs = Math.max(100, Math.min(1000, s.tickMs));
    const runners = [
      createRunner({
        queue: QUEUES.preview,
        owner: ctx.instanceId,
        handler: runPreviewJob,
        concurrency: s.concurrency,
        leaseMs: JOB_LEASE_MS,
        pollMs,
      }),
      createRunner({
        queue: QUEUES.apply,
        owner: ctx.instanceId,
        handler: runApplyJob,
        concurrency: s.concurrency,
        leaseMs: JOB_LEASE_MS,
        pollMs,
      }),
      createRunner({
        queue: QUEUES.check,
        owner: ctx.instanceId,
        handler: runCheckJob,
        concurrency: s.concurrency,
        leaseMs: JOB_LEASE_MS,
        pollMs,
      }),
    ];
    for (const r of runners) r.start(ctx.signal);
    const tick = singleton({
      name: "deploy:tick",
      owner: ctx.instanceId,
      intervalMs: s.tickMs,
      leaseMs: Math.max(15_000, s.tickMs * 5),
      run: async (lease) => {
        await tickRollouts(lease);
      },
    });
    const drift =
      s.driftMs > 0
        ? singleton({
            name: "deploy:drift",
            owner: ctx.instanceId,
            intervalMs: Math.min(60_000, s.driftMs),
            leaseMs: 60_000,
            run: async (lease, signal) => {
              await runDriftSweep(lease, signal);
            },
          })
        : null;
    return {
      async stop() {
        await Promise.all([tick.stop(), drift?.stop(), ...runners.map((r) => r.stop())]);
        closeAllClients();
      },
    };
  },
};
