import "server-only";
import { parentPort } from "node:worker_threads";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { startWorkerHost } from "./host";
import { SERVICES } from "./services";
import { type ToParent, toThreadSchema } from "./thread-protocol";

// Runs inside the web server's worker thread (OUTPOST_WORKER=embedded, the
// default): the same worker host as `npm run worker`, on its own event loop and
// V8 heap, so a sweep of thousands of clusters never stalls a page or an API
// answer. The thread has its own instance id (its globalThis is its own): the
// owner of its leases, and a restarted thread is a new owner, never a holder of
// the old one's claims.

const port = parentPort;
if (!port) throw new Error("lib/worker/thread-main.ts runs only as a worker thread (lib/worker/thread.ts)");

const send = (m: ToParent) => port.postMessage(m);

const host = await startWorkerHost({ services: SERVICES, role: "web+worker" });
send({ type: "ready", instanceId: host.instanceId, services: host.services });

port.on("message", (raw: unknown) => {
  const parsed = toThreadSchema.safeParse(raw);
  if (!parsed.success) return log.error("worker thread: unknown message", { error: parsed.error.message });
  void (async () => {
    await host.stop();
    await db()
      .$disconnect()
      .catch(() => undefined);
    send({ type: "stopped" });
    port.close();
    // Ends this thread only; timers a service left behind must not keep it alive.
    process.exit(0);
  })();
});
