// Parent side of lib/testing/work-child.ts: spawns a real Outpost process on the
// same database and talks to it line by line. kill() sends real signals.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHILD = path.join(ROOT, "lib", "testing", "work-child.ts");

export class ChildCommandError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
  ) {
    super(`${errorName}: ${message}`);
  }
}

export interface WorkProcess {
  pid: number;
  owner: string;
  child: ChildProcess;
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  /** resolves with the next spontaneous event line matching `predicate` */
  nextEvent(
    predicate: (e: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | string | null>;
}

export async function spawnWorkProcess(env: Record<string, string>): Promise<WorkProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", CHILD], {
    cwd: ROOT,
    env: { ...process.env, OUTPOST_LOG_LEVEL: "silent", ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Set<(e: Record<string, unknown>) => void>();
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const p of pending.values()) p.reject(new Error(`work child exited (${signal ?? code})`));
      pending.clear();
      resolve(signal ?? code);
    }),
  );
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return; // not ours (a library printing)
    }
    if (typeof msg.id === "number") {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.ok) p?.resolve(msg.value);
      else p?.reject(new ChildCommandError(String(msg.error), String(msg.message)));
    } else {
      for (const l of listeners) l(msg);
    }
  });
  let next = 1;
  const call = <T>(cmd: string, args: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.stdin?.write(`${JSON.stringify({ id, cmd, args })}\n`);
    });
  const nextEvent = (predicate: (e: Record<string, unknown>) => boolean, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`no matching event from the work child within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (e: Record<string, unknown>) => {
        if (!predicate(e)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(e);
      };
      listeners.add(listener);
    });
  const { owner, pid } = await call<{ owner: string; pid: number }>("whoami");
  return {
    pid,
    owner,
    child,
    call,
    nextEvent,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
}
