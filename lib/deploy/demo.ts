import "server-only";
import fs from "node:fs";
import path from "node:path";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { createDeployment, createRevision } from "./deployments";
import { startRollout } from "./rollouts";
import { parseSelectorText } from "./selector";
import { strategyWith } from "./strategy";

// The demo's deployments (npm run demo): the sample manifests in
// examples/deployments/, a turbine agent rolled out to every wind farm (done a
// minute after start: the "past" deployment), and the POS stack's second
// revision rolling out to every store while one store is out of reach — it
// waits, and gets its deploy when it comes back. Runs once per data dir.

const EXAMPLES = path.resolve("examples", "deployments");
/** How long the store that misses the rollout stays dark (the simulator's fault expires). */
export const DEMO_OFFLINE_MS = 150_000;
export const DEMO_OFFLINE_STORE = "store-vienna-01";

export interface DemoDeployResult {
  seeded: boolean;
  message: string;
}

/** `addFault` is the simulator's fault API (the demo passes its HTTP client). */
export async function seedDemoDeployments(
  addFault: (fault: { type: string; site: string; durationMs: number }) => Promise<void>,
): Promise<DemoDeployResult> {
  if (await db().deployment.findUnique({ where: { name: "pos-stack" }, select: { id: true } }))
    return { seeded: false, message: "demo deployments exist already" };
  const admin = await db().user.findFirst({ where: { role: "admin" }, orderBy: { createdAt: "asc" } });
  if (!admin) return { seeded: false, message: "no admin user to author the demo deployments" };
  const actor: Actor = {
    kind: "session",
    userId: admin.id,
    username: admin.username,
    role: "admin",
    credentialId: "demo",
  };
  const read = (file: string) => fs.readFileSync(path.join(EXAMPLES, file), "utf8");

  await createDeployment(
    {
      name: "turbine-agent",
      description: "SCADA bridge on every turbine",
      manifest: read("turbine-agent.yaml"),
      message: "scada-bridge 1.8.0",
    },
    actor,
  );
  await startRollout(
    "turbine-agent",
    {
      targets: parseSelectorText("kind=wind-farm"),
      strategy: strategyWith({ canary: { count: 1 }, waves: { by: "site" }, soakSeconds: 0 }),
      force: false,
    },
    actor,
  );

  const pos = read("pos-stack.yaml");
  const created = await createDeployment(
    {
      name: "pos-stack",
      description: "Point of sale: API, settings, token",
      manifest: pos,
      message: "2.4.1",
    },
    actor,
  );
  await createRevision(
    created.deployment.id,
    { manifest: pos.replace("pos-api:2.4.1", "pos-api:2.5.0"), message: "2.5.0: faster receipts" },
    actor,
  );
  // One store drops out of coverage before the rollout reaches it: it waits for its site.
  await addFault({ type: "offline", site: DEMO_OFFLINE_STORE, durationMs: DEMO_OFFLINE_MS });
  const rollout = await startRollout(
    "pos-stack",
    {
      targets: parseSelectorText("kind=store"),
      strategy: strategyWith({
        canary: { count: 1 },
        waves: { by: "percent", steps: [50, 100] },
        soakSeconds: 20,
      }),
      force: false,
    },
    actor,
  );
  return {
    seeded: true,
    message: `demo deployments: turbine-agent to every wind farm, pos-stack r2 to ${rollout.total} stores (${DEMO_OFFLINE_STORE} is dark for ${DEMO_OFFLINE_MS / 60_000} min and gets it when back)`,
  };
}
