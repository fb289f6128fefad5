import "server-only";
import { type Env, env } from "@/lib/env";
import { startWorkerHost, type WorkerHost } from "./host";
import { SERVICES } from "./services";
import { startWorkerThread } from "./thread";

const globalForWorker = globalThis as unknown as { outpostWorker?: Promise<WorkerHost> };

/**
 * The web server's worker host, by OUTPOST_WORKER: `embedded` (the default) in a
 * worker thread of this process, `inline` on the web server's own event loop
 * (the way before; for comparison and debugging), `off` only the instance row.
 * Idempotent across dev-server reloads.
 */
export function startEmbeddedWorker(): Promise<WorkerHost> {
  globalForWorker.outpostWorker ??= start(env().workerMode);
  return globalForWorker.outpostWorker;
}

function start(mode: Env["workerMode"]): Promise<WorkerHost> {
  switch (mode) {
    case "embedded":
      return startWorkerThread();
    case "inline":
      return startWorkerHost({ services: SERVICES, role: "web+worker" });
    case "off":
      return startWorkerHost({ services: SERVICES, role: "web" });
  }
}
