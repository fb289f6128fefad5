// `npm run collector`: the collector as its own process (set OUTPOST_COLLECTOR=off
// on the web server so the two do not both poll).
import { collectorFromEnv } from "@/lib/collector/run";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { startRetention } from "@/lib/retention/service";

async function main(): Promise<void> {
  db();
  const collector = collectorFromEnv();
  await collector.start();
  log.info("collector started", { mode: "standalone" });
  // Until lib/worker hosts background services, retention runs where the collector does.
  const retention = startRetention();
  const report = setInterval(() => log.info("collector stats", { ...collector.stats() }), 60_000);
  const shutdown = async () => {
    clearInterval(report);
    await retention.stop();
    await collector.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

void main();
