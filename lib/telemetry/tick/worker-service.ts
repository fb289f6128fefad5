import "server-only";
import { log } from "@/lib/log";
import { fenced } from "@/lib/work/lease";
import { exclusiveService } from "@/lib/work/service";
import { TelemetryTick, type TelemetryTickOptions } from "./service";

/** Lease of the telemetry tick: one process of the deployment reads InfluxDB for the fleet. */
export const TELEMETRY_TICK_LEASE_MS = 30_000;

/** The tick as a worker-host service; the composition root passes how to mark changed sites. */
export function telemetryTickService(options: Pick<TelemetryTickOptions, "markSites"> = {}) {
  return exclusiveService({
    name: "telemetry-tick",
    leaseMs: TELEMETRY_TICK_LEASE_MS,
    async start(ctx, lease) {
      // Every write of the tick carries the lease's epoch: a holder that lost it commits nothing.
      const tick = new TelemetryTick({ ...options, write: (fn) => fenced(lease, fn) });
      await tick.start();
      log.info("telemetry tick started", { instance: ctx.instanceId, tickSeconds: tick.tickMs / 1000 });
      return {
        async stop() {
          await tick.stop();
          log.info("telemetry tick stopped", { instance: ctx.instanceId });
        },
      };
    },
  });
}
