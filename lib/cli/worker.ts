// `npm run worker` (alias `npm run collector`): the background services as their
// own process. Set OUTPOST_WORKER=off on web servers that should not run them.
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { startWorkerHost } from "@/lib/worker/host";
import { SERVICES } from "@/lib/worker/services";

async function main(): Promise<void> {
  db();
  const host = await startWorkerHost({ services: SERVICES, role: "worker" });
  const shutdown = async (signal: string) => {
    log.info("worker stopping", { signal });
    await host.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  log.error("worker failed to start", { error: String(err) });
  process.exit(1);
});
