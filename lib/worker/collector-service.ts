import "server-only";
import { collectorFromEnv } from "@/lib/collector/run";
import { log } from "@/lib/log";
import { exclusiveService } from "@/lib/work/service";

/** Lease of the collector: one process polls the fleet at a time (issue 12 shards this). */
export const COLLECTOR_LEASE_MS = 30_000;
const STATS_EVERY_MS = 60_000;

export const collectorService = exclusiveService({
  name: "collector",
  leaseMs: COLLECTOR_LEASE_MS,
  async start(ctx) {
    const collector = collectorFromEnv();
    await collector.start();
    log.info("collector started", { instance: ctx.instanceId, role: ctx.role });
    const report =
      ctx.role === "worker"
        ? setInterval(() => log.info("collector stats", { ...collector.stats() }), STATS_EVERY_MS)
        : undefined;
    report?.unref();
    return {
      async stop() {
        clearInterval(report);
        await collector.stop();
        log.info("collector stopped", { instance: ctx.instanceId });
      },
    };
  },
});
