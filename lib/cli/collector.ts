// `npm run collector`: the collector as its own process (set OUTPOST_COLLECTOR=off
// on the web server so the two do not both poll).
import { collectorFromEnv } from "@/lib/collector/run";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { TelemetryTick } from "@/lib/telemetry/tick/service";

async function main(): Promise<void> {
  db();
  const collector = collectorFromEnv();
  await collector.start();
  log.info("collector started", { mode: "standalone" });
  const tick = new TelemetryTick();
  await tick.start();
  const report = setInterval(() => log.info("collector stats", { ...collector.stats() }), 60_000);
  const shutdown = async () => {
    clearInterval(report);
    await Promise.all([collector.stop(), tick.stop()]);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

void main();
