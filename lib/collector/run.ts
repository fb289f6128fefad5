import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { Collector } from "./collector";

const globalForCollector = globalThis as unknown as { outpostCollector?: Collector };

export function collectorFromEnv(): Collector {
  const e = env();
  return new Collector({
    schedule: { intervalMs: e.OUTPOST_POLL_INTERVAL_SECONDS * 1000 },
    concurrency: e.OUTPOST_COLLECTOR_CONCURRENCY,
    connections: e.OUTPOST_COLLECTOR_CONNECTIONS,
  });
}

/** Starts the one collector of this process (idempotent across dev-server reloads). */
export async function startEmbeddedCollector(): Promise<void> {
  if (globalForCollector.outpostCollector) return;
  const collector = collectorFromEnv();
  globalForCollector.outpostCollector = collector;
  await collector.start();
  log.info("collector started", { mode: "embedded", intervalSeconds: env().OUTPOST_POLL_INTERVAL_SECONDS });
}

export function embeddedCollector(): Collector | undefined {
  return globalForCollector.outpostCollector;
}
