// database: sqlite only (the point is 200 TLS clusters and a hung one, not the database; rollout.test.ts and kill.test.ts run on both)
// A rollout to 200 real TLS clusters with one blackholed mid-rollout: the hung
// cluster costs its request timeout and then waits for its site; it never
// stalls the wave, and the other 199 are applied and ready.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { Collector } from "@/lib/collector/collector";
import { db } from "@/lib/db/client";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { type FleetSpec, store } from "@/lib/simulator/fleet";
import { createRng } from "@/lib/simulator/prng";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { waitFor } from "@/lib/simulator/testing";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { instanceId } from "@/lib/work/instance";
import type { RunningService } from "@/lib/work/service";
import { createDeployment } from "./deployments";
import { startRollout } from "./rollouts";
import { deployService } from "./service";
import { strategyWith } from "./strategy";

const COUNT = 200;
const TIMEOUT_MS = 5000;
const HUNG = "store-0100";

let sim: SimulatorHandle;
let cleanup: () => Promise<void>;
let outDir: string;
let service: RunningService;
const stop = new AbortController();
const admin: Actor = { kind: "session", userId: "u", username: "ops", role: "admin", credentialId: "s" };

function stores(n: number): FleetSpec {
  const rng = createRng(5);
  return {
    seed: 5,
    sites: Array.from({ length: n }, (_, i) =>
      store(
        `store-${String(i + 1).padStart(4, "0")}`,
        `Store ${i + 1}`,
        48 + (i % 10) / 10,
        11,
        "DE",
        1,
        rng,
        "nuc",
      ),
    ),
  };
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-deploy-scale-"));
  sim = await startSimulator({
    fleet: stores(COUNT),
    outDir,
    podStartMs: 100,
    tickMs: 100,
    sharedListeners: 2,
  });
  cleanup = (
    await useTempDataDir({
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_POLL_INTERVAL_SECONDS: "60",
      OUTPOST_DEPLOY_TICK_MS: "200",
      OUTPOST_DEPLOY_CHECK_MS: "300",
      OUTPOST_DEPLOY_CONCURRENCY: "16",
      OUTPOST_DEPLOY_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      OUTPOST_DEPLOY_DRIFT_MINUTES: "0",
    })
  ).cleanup;
  await importFleet(readFleetDirectory(outDir).items);
  const collector = new Collector({
    policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
    concurrency: 32,
  });
  await collector.reload();
  await collector.sweepOnce();
  await collector.stop();
  service = await deployService.start({ instanceId: instanceId(), role: "worker", signal: stop.signal });
}, 120_000);

afterAll(async () => {
  stop.abort();
  await service?.stop();
  await cleanup?.();
  await sim?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe("200 clusters, one blackholed", () => {
  it("applies to 199 and lets the hung one wait for its site without stalling the wave", async () => {
    await createDeployment(
      {
        name: "pos-config",
        description: "",
        manifest:
          "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: pos-config, namespace: default }\ndata: { currency: EUR }\n",
        message: "",
      },
      admin,
    );
    // The collector saw every store a moment ago; now one stops answering (TCP accepted, never a reply).
    sim.faults.add({ type: "blackhole", site: HUNG });
    const started = Date.now();
    const { id } = await startRollout(
      "pos-config",
      {
        targets: { kinds: ["store"] },
        strategy: strategyWith({
          canary: { count: 0 },
          waves: { by: "all" },
          soakSeconds: 0,
          maxInFlight: 200,
        }),
        force: false,
      },
      admin,
    );
    const settled = await waitFor(
      async () => {
        const r = await db().rollout.findUniqueOrThrow({ where: { id } });
        return r.stateReason.startsWith("all waves done") ? r : undefined;
      },
      120_000,
      250,
    );
    const elapsed = Date.now() - started;
    const targets = await db().rolloutTarget.findMany({ where: { rolloutId: id } });
    const byState = new Map<string, number>();
    for (const t of targets) byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
    expect(targets).toHaveLength(COUNT);
    expect(Object.fromEntries(byState)).toEqual({ ready: COUNT - 1, "waiting-site": 1 });
    const hung = targets.find((t) => t.siteSlug === HUNG);
    expect(hung?.reason).toMatch(
      /^unreachable while applying: connection timed out; applied when the site is back$/,
    );
    expect(settled.state).toBe("running");
    // The hung store held one worker for about one request timeout; the wave did not wait for it.
    const hungAt = hung?.since.getTime() ?? 0;
    expect(hungAt - started).toBeLessThan(elapsed);
    expect(targets.every((t) => t.attempts === 1)).toBe(true);
  }, 150_000);
});
