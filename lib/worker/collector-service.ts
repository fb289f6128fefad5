import "server-only";
import type { Collector } from "@/lib/collector/collector";
import { collectorFromEnv } from "@/lib/collector/run";
import { env } from "@/lib/env";
import { summaryBatchOps } from "@/lib/fleet/summary/marks";
import { log } from "@/lib/log";
import type { WorkerService } from "@/lib/work/service";
import { DEFAULT_SHARDS, ShardOwner, shardFence } from "@/lib/work/shards";

// Sharded collection: the fleet is split into 256 shards by a hash of the
// cluster id; every worker instance running this service owns a fair share
// through lease rows (renewed every third of the lease, taken over with
// epoch + 1 when a worker stops renewing, handed over when one joins) and polls
// only the clusters of its shards. Each result carries the lease it was polled
// under; the write refuses results whose lease is gone (lib/collector/write.ts).
// One instance alone owns every shard: SQLite and single-process installs run
// the same code.

const STATS_EVERY_MS = 60_000;
export const COLLECTOR_SERVICE = "collector";

export const collectorService: WorkerService = {
  name: COLLECTOR_SERVICE,
  async start(ctx) {
    const leaseMs = env().OUTPOST_COLLECTOR_LEASE_SECONDS * 1000;
    // onAcquire/onRelease run from the shard owner's ticks, after both exist
    let collector: Collector | undefined;
    const shards: ShardOwner = new ShardOwner({
      service: COLLECTOR_SERVICE,
      shardCount: DEFAULT_SHARDS,
      leaseMs,
      owner: ctx.instanceId,
      onAcquire: () => collector?.reload(),
      onRelease: (released): Promise<void> | undefined => {
        const gone = new Set(released);
        return collector?.release((id) => gone.has(shards.shardOf(id)));
      },
    });
    collector = collectorFromEnv({
      owns: (id) => shards.owns(id),
      fence: shardFence(shards),
      userAgent: `Outpost/${ctx.instanceId}`,
      // The fleet summary learns which sites changed in the same (fenced) transaction as the results.
      batchOps: summaryBatchOps(env().OUTPOST_POLL_INTERVAL_SECONDS * 1000),
    });
    await collector.start();
    await shards.start();
    log.info("collector started", {
      instance: ctx.instanceId,
      role: ctx.role,
      shards: shards.heldShards().length,
      clusters: collector.stats().clusters,
    });
    const report =
      ctx.role === "worker"
        ? setInterval(
            () => log.info("collector stats", { shards: shards.heldShards().length, ...collector?.stats() }),
            STATS_EVERY_MS,
          )
        : undefined;
    report?.unref();
    return {
      async stop() {
        clearInterval(report);
        // polls end and their results are written while the leases are still held, then the shards go back
        await collector?.stop();
        await shards.stop();
        log.info("collector stopped", { instance: ctx.instanceId });
      },
    };
  },
};
