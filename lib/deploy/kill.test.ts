// kill -9 of the worker mid-wave: a second worker (`npm run worker`, the real
// entry point) takes over the dead one's claims and leases, and the rollout
// completes with every target applied once, counted once, and nothing on the
// clusters changed twice (a re-run apply is a no-op: server-side apply is idempotent).
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { type FleetSpec, store } from "@/lib/simulator/fleet";
import { createRng } from "@/lib/simulator/prng";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { kubeConfigFor, rawRequest, waitFor } from "@/lib/simulator/testing";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { createDeployment } from "./deployments";
import { startRollout } from "./rollouts";
import { QUEUES } from "./settings";
import { strategyWith } from "./strategy";

const COUNT = 16;
const ROOT = path.resolve(import.meta.dirname, "..", "..");
let sim: SimulatorHandle;
let dataDir: string;
let cleanup: () => Promise<void>;
let outDir: string;
const children: ChildProcess[] = [];
const admin: Actor = { kind: "session", userId: "u", username: "ops", role: "admin", credentialId: "s" };

function stores(n: number): FleetSpec {
  const rng = createRng(9);
  return {
    seed: 9,
    sites: Array.from({ length: n }, (_, i) =>
      store(`shop-${String(i + 1).padStart(2, "0")}`, `Shop ${i + 1}`, 50, 8, "DE", 1, rng, "nuc"),
    ),
  };
}

const workerEnv = () => ({
  ...process.env,
  OUTPOST_DATA_DIR: dataDir,
  OUTPOST_ALLOW_LOOPBACK: "1",
  OUTPOST_LOG_LEVEL: "silent",
  OUTPOST_POLL_INTERVAL_SECONDS: "5",
  OUTPOST_DEPLOY_TICK_MS: "200",
  OUTPOST_DEPLOY_CHECK_MS: "300",
  OUTPOST_DEPLOY_CONCURRENCY: "3",
  OUTPOST_DEPLOY_DRIFT_MINUTES: "0",
  OUTPOST_TELEMETRY_TICK_SECONDS: "300",
});

/** `npm run worker` as its own process group, so kill -9 reaches exactly it. */
function startWorker(): ChildProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(ROOT, "lib/cli/worker.ts")],
    {
      cwd: ROOT,
      env: workerEnv(),
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  children.push(child);
  return child;
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-deploy-kill-"));
  // Every request to every cluster takes a while, so the wave is long enough to be cut in the middle.
  sim = await startSimulator({ fleet: stores(COUNT), outDir, podStartMs: 200, tickMs: 100 });
  for (const s of sim.fleet.sites) sim.faults.add({ type: "slow", site: s.slug, params: { latencyMs: 120 } });
  const temp = await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" });
  dataDir = temp.dir;
  cleanup = temp.cleanup;
  await importFleet(readFleetDirectory(outDir).items);
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  await cleanup?.();
  await sim?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

const manifest = `apiVersion: v1
kind: ConfigMap
metadata: { name: shop-config, namespace: default }
data: { till: "2" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop-api, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: shop-api } }
  template:
    metadata: { labels: { app: shop-api } }
    spec: { containers: [{ name: api, image: "shop:1" }] }
`;

describe("kill -9 mid-wave", () => {
  it("resumes in another worker and completes, every target applied and counted once", async () => {
    const first = startWorker();
    // The worker's collector reaches every shop first (facts say fresh).
    await waitFor(
      async () => (await db().clusterStatus.count({ where: { lastSuccessAt: { not: null } } })) === COUNT,
      60_000,
      200,
    );
    await createDeployment({ name: "shop", description: "", manifest, message: "" }, admin);
    const { id } = await startRollout(
      "shop",
      {
        targets: { kinds: ["store"] },
        strategy: strategyWith({ canary: { count: 0 }, waves: { by: "all" }, soakSeconds: 0 }),
        force: false,
      },
      admin,
    );
    // Cut it in the middle: some targets done, some apply jobs claimed and running in this process.
    const cut = await waitFor(
      async () => {
        const ready = await db().rolloutTarget.count({ where: { rolloutId: id, state: "ready" } });
        const running = await db().workJob.count({ where: { queue: QUEUES.apply, state: "running" } });
        return ready >= 2 && ready <= COUNT - 4 && running > 0 ? { ready, running } : undefined;
      },
      60_000,
      50,
    );
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const atKill = await db().rolloutTarget.groupBy({
      by: ["state"],
      where: { rolloutId: id },
      _count: { _all: true },
    });
    expect(atKill.some((g) => g.state !== "ready")).toBe(true);
    expect(cut.running).toBeGreaterThan(0);

    startWorker();
    const done = await waitFor(
      async () => {
        const r = await db().rollout.findUniqueOrThrow({ where: { id } });
        return r.state === "completed" ? r : undefined;
      },
      90_000,
      200,
    );
    expect(done.stateReason).toBe(`${COUNT} ready`);
    const targets = await db().rolloutTarget.findMany({ where: { rolloutId: id } });
    expect(targets).toHaveLength(COUNT);
    expect(targets.every((t) => t.state === "ready" && t.attempts === 1)).toBe(true);
    // One apply job per target; the ones the dead worker held were taken over (attempt 2), not duplicated.
    const jobs = await db().workJob.findMany({ where: { queue: QUEUES.apply } });
    expect(jobs).toHaveLength(COUNT);
    expect(jobs.every((j) => j.state === "succeeded")).toBe(true);
    expect(jobs.some((j) => j.attempt >= 2)).toBe(true);
    // On every cluster the objects were written once: a repeated server-side apply is a no-op.
    for (const s of sim.fleet.sites) {
      const kc = kubeConfigFor(sim, s.slug, "edge");
      const dep = (await rawRequest(kc, "/apis/apps/v1/namespaces/default/deployments/shop-api")).json as {
        metadata: { generation: number; managedFields: { manager: string; operation: string }[] };
      };
      expect(dep.metadata.generation).toBe(1);
      expect(dep.metadata.managedFields.filter((m) => m.manager === "outpost")).toEqual([
        expect.objectContaining({ operation: "Apply" }),
      ]);
    }
    const installed = await db().deploymentInstallation.count({ where: { state: "ready" } });
    expect(installed).toBe(COUNT);
  }, 240_000);
});
