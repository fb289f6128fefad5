// A real `npm run worker` process (lib/cli/worker.ts) for multi-instance tests:
// its JSON log lines (stdout and stderr) are kept and can be awaited; kill()
// sends real signals (SIGKILL, SIGSTOP/SIGCONT).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const WORKER = path.join(ROOT, "lib", "cli", "worker.ts");

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  logs: LogLine[];
  /** resolves with the first log line (already seen or coming) that matches */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM and wait: a clean stop hands its leases back */
  stop(): Promise<void>;
  exited: Promise<number | string | null>;
}

export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", WORKER], {
    cwd: ROOT,
    env: { ...process.env, OUTPOST_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: LogLine[] = [];
  const waiters = new Set<(line: LogLine) => void>();
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream as NodeJS.ReadableStream }).on("line", (text) => {
      if (!text.startsWith("{")) return;
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        return;
      }
      logs.push(line);
      for (const w of waiters) w(line);
    });
  }
  const waitForLog = (predicate: (line: LogLine) => boolean, timeoutMs = 60_000) =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = logs.find(predicate);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`worker ${child.pid}: no matching log line within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (line: LogLine) => {
        if (!predicate(line)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve(line);
      };
      waiters.add(waiter);
      void exited.then(() => {
        if (!waiters.has(waiter)) return;
        clearTimeout(timer);
        waiters.delete(waiter);
        reject(new Error(`worker ${child.pid} exited before a matching log line`));
      });
    });
  const isRunning = () => child.exitCode === null && child.signalCode === null;
  return {
    pid: child.pid ?? 0,
    child,
    logs,
    waitForLog,
    kill: (signal) => {
      if (isRunning()) child.kill(signal);
    },
    async stop() {
      if (isRunning()) {
        child.kill("SIGCONT");
        child.kill("SIGTERM");
      }
      await exited;
    },
    exited,
  };
}

/** Ends every worker for good, paused ones included (afterAll of multi-worker tests). */
export async function killWorkers(list: readonly WorkerProcess[]): Promise<void> {
  for (const w of list) {
    w.kill("SIGCONT");
    w.kill("SIGKILL");
    await w.exited;
  }
}
