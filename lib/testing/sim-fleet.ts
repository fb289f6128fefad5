// Parent side of lib/testing/sim-fleet-child.ts: a fleet of N simulated stores
// in its own process (its TLS work off the test's event loop), its kubeconfigs
// and manifest in `dir`, its request log and faults on `controlUrl`.
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { LoggedRequest } from "@/lib/simulator/request-log";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const CHILD = path.join(ROOT, "lib", "testing", "sim-fleet-child.ts");

export interface SimFleet {
  controlUrl: string;
  dir: string;
  clusters: number;
  /** the request log's entries at or after `since` (ms) */
  requests(since?: number): Promise<LoggedRequest[]>;
  addFault(fault: { type: string; site: string; params?: Record<string, unknown> }[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimFleet(count: number, dir: string, timeoutMs = 120_000): Promise<SimFleet> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", CHILD, String(count), dir],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await new Promise<{ controlUrl: string; clusters: number }>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulated fleet not ready within ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.once("exit", (code) => reject(new Error(`simulated fleet exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const msg = JSON.parse(line) as { ready?: boolean; controlUrl: string; clusters: number };
      if (!msg.ready) return;
      clearTimeout(timer);
      resolve(msg);
    });
  });
  return {
    ...ready,
    dir,
    async requests(since = 0) {
      const res = await fetch(`${ready.controlUrl}/requests?since=${since}`);
      if (!res.ok) throw new Error(`request log: HTTP ${res.status}`);
      const body = (await res.json()) as { rows: [string, string, string, number][] };
      return body.rows.map(([site, cluster, agent, at]) => ({ site, cluster, agent, at }));
    },
    async addFault(faults) {
      const res = await fetch(`${ready.controlUrl}/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(faults),
      });
      if (!res.ok) throw new Error(`faults: HTTP ${res.status} ${await res.text()}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
