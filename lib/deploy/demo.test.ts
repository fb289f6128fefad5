// The demo's deployments are made from the sample manifests (which must stay
// valid), once per data dir, with the dark store's fault asked for before the
// POS rollout starts.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { smallFleet } from "@/lib/simulator/testing";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { DEMO_OFFLINE_MS, DEMO_OFFLINE_STORE, seedDemoDeployments } from "./demo";

let sim: SimulatorHandle;
let outDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-deploy-demo-"));
  sim = await startSimulator({ fleet: smallFleet(), outDir });
  cleanup = (await useTempDataDir({ OUTPOST_ALLOW_LOOPBACK: "1" })).cleanup;
  await importFleet(readFleetDirectory(outDir).items);
  await createUser({ username: "admin", password: "demo-password-123", role: "admin" });
}, 60_000);

afterAll(async () => {
  await cleanup?.();
  await sim?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe("demo deployments", () => {
  it("seeds a wind-farm rollout and the POS stack's second revision to every store, once", async () => {
    const faults: unknown[] = [];
    const first = await seedDemoDeployments(async (f) => {
      faults.push(f);
    });
    expect(first.seeded).toBe(true);
    expect(faults).toEqual([{ type: "offline", site: DEMO_OFFLINE_STORE, durationMs: DEMO_OFFLINE_MS }]);
    const deployments = await db().deployment.findMany({
      orderBy: { name: "asc" },
      include: { revisions: { orderBy: { number: "asc" } }, rollouts: { include: { targets: true } } },
    });
    expect(deployments.map((d) => d.name)).toEqual(["pos-stack", "turbine-agent"]);
    const [pos, turbine] = deployments;
    expect(pos?.revisions.map((r) => r.message)).toEqual(["2.4.1", "2.5.0: faster receipts"]);
    // The Secret's value is stored only encrypted.
    expect(pos?.revisions[0]?.objects).not.toContain("demo-token-not-a-real-secret");
    expect(pos?.rollouts[0]?.targets.map((t) => t.siteSlug).sort()).toEqual([
      "store-alpha-01",
      "store-beta-01",
    ]);
    // the farm's control-center cluster and its two turbines
    expect(turbine?.rollouts[0]?.targets).toHaveLength(3);

    const again = await seedDemoDeployments(async () => {
      throw new Error("no fault on a second run");
    });
    expect(again).toEqual({ seeded: false, message: "demo deployments exist already" });
  });
});
