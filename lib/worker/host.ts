import "server-only";
import { log } from "@/lib/log";
import {
  heartbeatInstance,
  instanceId,
  markInstanceStopped,
  reapDeadLocalInstances,
  registerInstance,
  setInstanceServices,
} from "@/lib/work/instance";
import type { RunningService, WorkerContext, WorkerService } from "@/lib/work/service";

// Starts the background services of this process and keeps its instance row
// alive. Embedded in the web server (lib/bootstrap.ts) or on its own
// (`npm run worker`). A service that fails to start is logged and skipped: the
// others still run.

export const INSTANCE_HEARTBEAT_MS = 10_000;

export interface WorkerHost {
  instanceId: string;
  /** names of the services that started */
  services: string[];
  stop(): Promise<void>;
}

export async function startWorkerHost(opts: {
  services: WorkerService[];
  role: WorkerContext["role"] | "web";
  heartbeatMs?: number;
}): Promise<WorkerHost> {
  const id = instanceId();
  const abort = new AbortController();
  const reaped = await reapDeadLocalInstances();
  if (reaped.length > 0) log.info("expired the leases of dead local instances", { instances: reaped });
  // The instance lists a service only once it runs: peers count it as a live
  // collector in the shard split from then on, so shards handed to it are polled
  // at once (not after its start-up), and a web-only instance or a service that
  // failed to start never holds a share nobody polls.
  await registerInstance({ role: opts.role, services: [] });
  const running: { name: string; service: RunningService }[] = [];
  if (opts.role !== "web") {
    const ctx: WorkerContext = { instanceId: id, role: opts.role, signal: abort.signal };
    for (const s of opts.services) {
      try {
        running.push({ name: s.name, service: await s.start(ctx) });
        await setInstanceServices(running.map((r) => r.name));
      } catch (err) {
        log.error("worker service failed to start", { service: s.name, error: String(err) });
      }
    }
  }
  const heartbeat = setInterval(
    () =>
      void heartbeatInstance().catch((err) => log.warn("instance heartbeat failed", { error: String(err) })),
    opts.heartbeatMs ?? INSTANCE_HEARTBEAT_MS,
  );
  heartbeat.unref();
  log.info("worker host started", { instance: id, role: opts.role, services: running.map((r) => r.name) });
  let stopping: Promise<void> | undefined;
  return {
    instanceId: id,
    services: running.map((r) => r.name),
    stop() {
      stopping ??= (async () => {
        abort.abort();
        clearInterval(heartbeat);
        for (const r of running.reverse()) {
          await r.service
            .stop()
            .catch((err) =>
              log.error("worker service failed to stop", { service: r.name, error: String(err) }),
            );
        }
        await markInstanceStopped().catch(() => undefined);
      })();
      return stopping;
    },
  };
}
