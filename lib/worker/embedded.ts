import "server-only";
import { type Env, env } from "@/lib/env";
import { startWorkerHost, type WorkerHost } from "./host";
import { SERVICES } from "./services";
import { startWorkerThread } from "./thread";

const globalForWorker = globalThis as unknown as { outpostWorker?: Promise<WorkerHost> };

/**
 * Where server.mjs (plain JavaScript, outside Next's module graph) finds how to
 * stop the worker host on SIGTERM/SIGINT, so its leases and claims are handed
 * back at once instead of expiring a lease period later.
 */
export const SHUTDOWN_HOOK = Symbol.for("outpost.shutdown");

/**
 * The web server's worker host, by OUTPOST_WORKER: `embedded` (the default) in a
 * worker thread of this process, `inline` on the web server's own event loop
 * (the way before; for comparison and debugging), `off` only the instance row.
 * Idempotent across dev-server reloads.
 */
export function startEmbeddedWorker(): Promise<WorkerHost> {
  if (!globalForWorker.outpostWorker) {
    const host = start(env().workerMode);
    globalForWorker.outpostWorker = host;
    (globalThis as Record<symbol, unknown>)[SHUTDOWN_HOOK] = () => host.then((h) => h.stop());
  }
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
