import "server-only";
import { env } from "@/lib/env";
import { startWorkerHost, type WorkerHost } from "./host";
import { SERVICES } from "./services";

const globalForWorker = globalThis as unknown as { outpostWorker?: Promise<WorkerHost> };

/**
 * The web server's worker host: all services when OUTPOST_WORKER=embedded (the
 * default), only the instance row when off. Idempotent across dev-server reloads.
 */
export function startEmbeddedWorker(): Promise<WorkerHost> {
  globalForWorker.outpostWorker ??= startWorkerHost({
    services: SERVICES,
    role: env().workerMode === "embedded" ? "web+worker" : "web",
  });
  return globalForWorker.outpostWorker;
}
