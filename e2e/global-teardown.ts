import type { ChildProcess } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { E2EState } from "./state";
import { STATE_ENV } from "./state";

type Started = {
  sim?: { stop(): Promise<void> };
  telemetry?: { stop(): Promise<void> };
  linkSim?: { stop(): Promise<void> };
  server?: { process: ChildProcess };
  database?: { stop(): Promise<void> };
};

function stopServer(pid: number): void {
  if (!pid) return;
  try {
    // The server was spawned detached: its process group is npx + next.
    process.kill(-pid, "SIGTERM");
  } catch {
    // already gone
  }
}

export default async function globalTeardown(): Promise<void> {
  const started = (globalThis as { outpostE2E?: Started }).outpostE2E;
  const stateFile = process.env[STATE_ENV];
  let state: E2EState | undefined;
  try {
    state = stateFile ? (JSON.parse(readFileSync(stateFile, "utf8")) as E2EState) : undefined;
  } catch {
    state = undefined;
  }
  stopServer(started?.server?.process.pid ?? state?.serverPid ?? 0);
  // The telemetry writer first (it flushes to InfluxDB), then influxd, then the simulated clusters.
  await started?.telemetry?.stop();
  await started?.sim?.stop();
  await started?.linkSim?.stop();
  await started?.database?.stop();
  if (stateFile && !process.env.OUTPOST_E2E_KEEP)
    rmSync(path.dirname(stateFile), { recursive: true, force: true });
}
