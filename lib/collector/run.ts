import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { Collector, type CollectorOptions } from "./collector";

const globalForCollector = globalThis as unknown as { outpostCollector?: Collector };

/** The collector configured from the environment; `extra` adds what the worker host wires (shards, fence). */
export function collectorFromEnv(
  extra: Omit<CollectorOptions, "schedule" | "concurrency" | "connections" | "maxKeptConnections"> = {},
): Collector {
  const e = env();
  return new Collector({
    schedule: { intervalMs: e.OUTPOST_POLL_INTERVAL_SECONDS * 1000 },
    concurrency: e.OUTPOST_COLLECTOR_CONCURRENCY,
    connections: e.OUTPOST_COLLECTOR_CONNECTIONS,
    ...(e.OUTPOST_COLLECTOR_KEPT_CONNECTIONS === undefined
      ? {}
      : { maxKeptConnections: e.OUTPOST_COLLECTOR_KEPT_CONNECTIONS }),
    ...extra,
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
