import "server-only";
import path from "node:path";
import type { Worker } from "node:worker_threads";
import { log } from "@/lib/log";
import { expireInstances } from "@/lib/work/instance";
import { type BackoffPolicy, retryDelayMs, WORKER_THREAD_BACKOFF } from "@/lib/work/policy";
import type { WorkerHost } from "./host";
import { type ToThread, toParentSchema } from "./thread-protocol";

// OUTPOST_WORKER=embedded (the default) runs the worker host in a worker thread
// of the web server: one process to start, as before, but the collector's
// sweeps, the telemetry tick and the deploy runner get their own event loop and
// heap. At 10,000 clusters the worker keeps a core busy for seconds at a time;
// on the web server's loop that stalled every page and API answer behind it
// (README, "Fleet summary"). The thread shares nothing in memory with the web
// side: everything goes through the database, as between separate instances,
// and queue wake-ups cross threads (lib/work/runner.ts).

/** Resolved from the working directory, like the migrations: the web server's own modules are Next's bundle. */
export const THREAD_ENTRY = path.join(
  /*turbopackIgnore: true*/ process.cwd(),
  "lib",
  "worker",
  "thread-entry.mjs",
);
/**
 * node:worker_threads, fetched past the bundler: Turbopack takes any `new Worker(…)`
 * for an entry of its own to bundle and, the path being computed, traces the whole
 * project into it. The thread runs the sources through tsx instead.
 */
function workerThreads(): typeof import("node:worker_threads") {
  return process.getBuiltinModule("node:worker_threads");
}

/** A thread that ran this long before it died is started again after the first delay, not a grown one. */
export const THREAD_HEALTHY_AFTER_MS = 60_000;
/** How long stop() lets the services stop before it terminates the thread. */
export const THREAD_STOP_TIMEOUT_MS = 15_000;

/**
 * Starts the worker thread and keeps it running: a thread that dies is started
 * again with backoff, and its leases and claims are expired at once so the new
 * one (or a peer) takes over without waiting for them to time out. Resolves
 * when the host first reports its services, or when the first try failed (the
 * web server starts either way; the thread keeps being retried).
 */
export function startWorkerThread(
  opts: { entry?: string; stopTimeoutMs?: number; backoff?: BackoffPolicy } = {},
): Promise<WorkerHost> {
  const entry = opts.entry ?? THREAD_ENTRY;
  const backoff = opts.backoff ?? WORKER_THREAD_BACKOFF;
  const stopTimeoutMs = opts.stopTimeoutMs ?? THREAD_STOP_TIMEOUT_MS;
  let current: Worker | null = null;
  let instance: string | null = null;
  let services: string[] = [];
  let stopping: Promise<void> | null = null;
  let attempt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  let settle!: (host: WorkerHost) => void;
  const started = new Promise<WorkerHost>((resolve) => {
    settle = resolve;
  });

  const handle: WorkerHost = {
    get instanceId() {
      return instance ?? "";
    },
    get services() {
      return services;
    },
    stop: () => {
      stopping ??= stopThread();
      return stopping;
    },
  };

  /** the expiry of a dead thread's leases, which stop() waits for */
  let forgetting: Promise<void> = Promise.resolve();
  const forget = (id: string | null) => {
    if (!id) return;
    forgetting = expireInstances([id]).catch((err) =>
      log.warn("could not expire the worker thread's leases", { instance: id, error: String(err) }),
    );
  };

  function spawn(): void {
    const startedAt = Date.now();
    let stoppedCleanly = false;
    // --conditions=react-server: the thread loads the TypeScript sources, whose
    // server-only imports resolve to the empty module only under that condition.
    const w = new (workerThreads().Worker)(entry, { execArgv: ["--conditions=react-server"] });
    w.unref();
    current = w;
    w.on("message", (raw: unknown) => {
      const parsed = toParentSchema.safeParse(raw);
      if (!parsed.success)
        return log.error("worker thread: unknown message", { error: parsed.error.message });
      const m = parsed.data;
      if (m.type === "stopped") {
        stoppedCleanly = true;
        return;
      }
      instance = m.instanceId;
      services = m.services;
      settle(handle);
    });
    w.on("error", (err) => log.error("worker thread failed", { error: String(err) }));
    w.on("exit", (code) => {
      current = null;
      const gone = instance;
      instance = null;
      services = [];
      if (!stoppedCleanly) forget(gone);
      if (stopping) return;
      attempt = Date.now() - startedAt >= THREAD_HEALTHY_AFTER_MS ? 1 : attempt + 1;
      const delayMs = retryDelayMs(attempt, backoff, Math.random());
      log.error("worker thread exited; starting it again", { code, attempt, inMs: delayMs });
      settle(handle);
      restartTimer = setTimeout(spawn, delayMs);
      restartTimer.unref();
    });
  }

  async function stopThread(): Promise<void> {
    clearTimeout(restartTimer);
    const w = current;
    // Between a death and its restart: only the dead thread's lease expiry is left to wait for.
    if (!w) return forgetting;
    const exited = new Promise<void>((resolve) => w.once("exit", () => resolve()));
    const stop: ToThread = { type: "stop" };
    w.postMessage(stop);
    const timer = setTimeout(() => void w.terminate(), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
    await forgetting;
  }

  spawn();
  return started;
}
