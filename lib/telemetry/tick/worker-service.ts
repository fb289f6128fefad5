import "server-only";
import { log } from "@/lib/log";
import { exclusiveService } from "@/lib/work/service";
import { TelemetryTick } from "./service";

/** Lease of the telemetry tick: one process of the deployment reads InfluxDB for the fleet. */
export const TELEMETRY_TICK_LEASE_MS = 30_000;

export const telemetryTickService = exclusiveService({
  name: "telemetry-tick",
  leaseMs: TELEMETRY_TICK_LEASE_MS,
  async start(ctx) {
    const tick = new TelemetryTick();
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
