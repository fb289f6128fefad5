// The deploy runner end to end against the real TLS simulator and a real SQLite
// database: preview (diff, conflict naming the other manager, force), rollout
// in waves with an offline store that is applied when it comes back, idempotent
// re-apply, a broken canary that pauses, rollback with pruning, maintenance
// holds, drift, and a rollout restart of a wind farm.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/session";
import { Collector } from "@/lib/collector/collector";
import { db } from "@/lib/db/client";
import { importFleet } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { kubeConfigFor, rawRequest, smallFleet, waitFor } from "@/lib/simulator/testing";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { instanceId } from "@/lib/work/instance";
import type { RunningService } from "@/lib/work/service";
import { createDeployment, createRevision } from "./deployments";
import { checkDrift } from "./drift";
import { setMaintenanceLookup } from "./maintenance";
import { createPreview, getPreview, previewTargets } from "./previews";
import { pauseRollout, resumeRollout, rollbackRollout, startRestart, startRollout } from "./rollouts";
import { deployService } from "./service";
import { strategyWith } from "./strategy";
import { tickRollouts } from "./tick";

let sim: SimulatorHandle;
let cleanup: () => Promise<void>;
let outDir: string;
let collector: Collector;
let service: RunningService;
const stop = new AbortController();

const admin: Actor = {
  kind: "session",
  userId: "u-admin",
  username: "ops-admin",
  role: "admin",
  credentialId: "s1",
};
const operator: Actor = {
  kind: "token",
  userId: "u-op",
  username: "ci-bot",
  role: "operator",
  credentialId: "t1",
};
const policy = { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] as const };
const STORES = ["store-alpha-01", "store-beta-01"];
const FAST = {
  soakSeconds: 0,
  canary: { count: 1 },
  waves: { by: "all" as const },
  rolloutTimeoutSeconds: 20,
};

const manifest = (image: string, extra = "") => `apiVersion: v1
kind: Namespace
metadata: { name: pos-app }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: pos-config, namespace: pos-app }
data: { currency: EUR }
---
apiVersion: v1
kind: Secret
metadata: { name: pos-token, namespace: pos-app }
stringData: { token: s3cret-value }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: pos-api, namespace: pos-app, labels: { app: pos-api } }
spec:
  replicas: 1
  selector: { matchLabels: { app: pos-api } }
  template:
    metadata: { labels: { app: pos-api } }
    spec: { containers: [{ name: api, image: "${image}" }] }
${extra}`;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-deploy-"));
  sim = await startSimulator({
    fleet: smallFleet(),
    outDir,
    podStartMs: 150,
    deadlineScale: 0.01,
    tickMs: 50,
  });
  cleanup = (
    await useTempDataDir({
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_DEPLOY_TICK_MS: "100",
      OUTPOST_DEPLOY_CHECK_MS: "150",
      OUTPOST_DEPLOY_REQUEST_TIMEOUT_MS: "2000",
      OUTPOST_DEPLOY_DRIFT_MINUTES: "0",
    })
  ).cleanup;
  await importFleet(readFleetDirectory(outDir).items);
  collector = new Collector({ policy, concurrency: 8 });
  await collector.reload();
  // The truck is out of coverage from the start: the collector has never reached it.
  sim.faults.add({ type: "offline", site: "truck-001" });
  await collector.sweepOnce();
  service = await deployService.start({ instanceId: instanceId(), role: "worker", signal: stop.signal });
}, 60_000);

afterAll(async () => {
  stop.abort();
  await service?.stop();
  await collector?.stop();
  setMaintenanceLookup(null);
  await cleanup?.();
  await sim?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

async function rolloutState(id: string) {
  const r = await db().rollout.findUniqueOrThrow({
    where: { id },
    include: { targets: { orderBy: { ord: "asc" } } },
  });
  return r;
}

const stateOf = (r: Awaited<ReturnType<typeof rolloutState>>, site: string) =>
  r.targets.find((t) => t.siteSlug === site);

function api(site: string, cluster = "edge") {
  return kubeConfigFor(sim, site, cluster);
}

async function deploymentOn(site: string, name = "pos-api", cluster = "edge") {
  const res = await rawRequest(api(site, cluster), `/apis/apps/v1/namespaces/pos-app/deployments/${name}`);
  return res.status === 200
    ? (res.json as {
        metadata: { resourceVersion: string; generation: number; labels: Record<string, string> };
        spec: { template: { spec: { containers: { image: string }[] } } };
      })
    : undefined;
}

let deploymentId = "";
let _firstRollout = "";

describe("preview", () => {
  it("refuses an operator's manifest with a Namespace, and takes it from an admin", async () => {
    await expect(
      createDeployment({ name: "pos", description: "", manifest: manifest("pos:1"), message: "" }, operator),
    ).rejects.toThrow(/need the admin role \(document 1: Namespace pos-app\)/);
    const created = await createDeployment(
      { name: "pos", description: "POS app", manifest: manifest("pos:1"), message: "first" },
      admin,
    );
    deploymentId = created.deployment.id;
    expect(created.revision).toMatchObject({ number: 1, requiredRole: "admin" });
    const stored = await db().deploymentRevision.findFirstOrThrow({ where: { deploymentId } });
    expect(stored.objects).not.toContain("s3cret-value");
    expect(stored.secretsEnc).toMatch(/^v1:/);
    const again = await createRevision(deploymentId, { manifest: manifest("pos:1"), message: "same" }, admin);
    expect(again).toMatchObject({ isNew: false, revision: { number: 1 } });
  });

  it("dry-runs every reachable target: created objects, an unreachable truck, and a conflict naming the other manager", async () => {
    // Someone scaled pos-api on beta by hand before Outpost ever managed it.
    const beta = api("store-beta-01");
    await rawRequest(beta, "/api/v1/namespaces?fieldManager=kubectl-create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "pos-app" } }),
    });
    await rawRequest(beta, "/apis/apps/v1/namespaces/pos-app/deployments/pos-api?fieldManager=kubectl-edit", {
      method: "PATCH",
      headers: { "content-type": "application/apply-patch+yaml" },
      body: JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "pos-api", namespace: "pos-app" },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: "pos-api" } },
          template: {
            metadata: { labels: { app: "pos-api" } },
            spec: { containers: [{ name: "api", image: "pos:0" }] },
          },
        },
      }),
    });
    const { id } = await createPreview(
      "pos",
      { targets: { sites: [...STORES, "truck-001"] }, force: false },
      admin,
    );
    const done = await waitFor(async () => {
      const p = await getPreview(id);
      return p.state === "done" ? p : undefined;
    }, 20_000);
    expect(done.counts).toMatchObject({ total: 3, changed: 1, conflict: 1, unreachable: 1, pending: 0 });
    expect(done.sentence).toBe("0 unchanged · 1 will change · 1 conflicts · 0 errors · 1 unreachable");
    const { items } = await previewTargets(id, { limit: 50 });
    const alpha = items.find((t) => t.siteSlug === "store-alpha-01");
    expect(alpha?.objects.map((o) => o.outcome)).toEqual(["created", "created", "created", "created"]);
    expect(JSON.stringify(alpha)).not.toContain("s3cret-value");
    const conflict = items.find((t) => t.siteSlug === "store-beta-01");
    expect(conflict?.outcome).toBe("conflict");
    expect(conflict?.objects.find((o) => o.outcome === "conflict")?.conflicts).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: ".spec.replicas", manager: "kubectl-edit" })]),
    );
    expect(items.find((t) => t.siteSlug === "truck-001")?.message).toContain("Never reached");

    const forced = await createPreview("pos", { targets: { sites: ["store-beta-01"] }, force: true }, admin);
    const forcedDone = await waitFor(async () => {
      const p = await getPreview(forced.id);
      return p.state === "done" ? p : undefined;
    }, 20_000);
    expect(forcedDone.counts.changed).toBe(1);
    const diff = (await previewTargets(forced.id, { limit: 5 })).items[0]?.objects.find(
      (o) => o.label === "Deployment pos-app/pos-api",
    );
    expect(diff?.changes).toEqual(
      expect.arrayContaining([
        { path: "spec.replicas", kind: "changed", before: "3", after: "1" },
        {
          path: "spec.template.spec.containers[name=api].image",
          kind: "changed",
          before: '"pos:0"',
          after: '"pos:1"',
        },
      ]),
    );
  });
});

describe("rollout", () => {
  it("needs the typed confirmation to take ownership", async () => {
    await expect(
      startRollout(
        "pos",
        { targets: { sites: STORES }, strategy: strategyWith(FAST), force: true, confirm: "yes" },
        admin,
      ),
    ).rejects.toThrow("typed confirmation");
  });

  it("applies to reachable stores, waits for the offline truck, and applies it when the collector sees it again", async () => {
    const started = await startRollout(
      "pos",
      {
        targets: { sites: [...STORES, "truck-001"] },
        strategy: strategyWith(FAST),
        force: true,
        confirm: "pos",
      },
      admin,
    );
    _firstRollout = started.id;
    expect(started.waves).toEqual([
      { name: "canary", size: 1 },
      { name: "all", size: 2 },
    ]);
    const waiting = await waitFor(async () => {
      const r = await rolloutState(started.id);
      const ready = r.targets.filter((t) => t.state === "ready").length;
      return ready === 2 &&
        ["waiting-site", "waiting-window"].includes(stateOf(r, "truck-001")?.state ?? "") &&
        r.stateReason.startsWith("all waves done")
        ? r
        : undefined;
    }, 30_000);
    expect(waiting.state).toBe("running");
    expect(waiting.stateReason).toContain("1 waiting for their site");
    expect(stateOf(waiting, "truck-001")?.reason).toContain("Never reached");
    const beta = await deploymentOn("store-beta-01");
    expect(beta?.metadata.labels).toMatchObject({
      "app.kubernetes.io/managed-by": "outpost",
      "outpost.dev/deployment": "pos",
    });
    expect(beta?.spec.template.spec.containers[0]?.image).toBe("pos:1");
    const secret = await rawRequest(api("store-alpha-01"), "/api/v1/namespaces/pos-app/secrets/pos-token");
    expect((secret.json as { data: Record<string, string> }).data.token).toBe(
      Buffer.from("s3cret-value").toString("base64"),
    );

    // The truck comes back into coverage: no click, the next collector pass is enough.
    sim.faults.clear();
    await collector.sweepOnce();
    const finished = await waitFor(async () => {
      const r = await rolloutState(started.id);
      return r.state === "completed" ? r : undefined;
    }, 30_000);
    expect(finished.targets.map((t) => t.state)).toEqual(["ready", "ready", "ready"]);
    expect(finished.stateReason).toBe("3 ready");
    expect(await deploymentOn("truck-001", "pos-api", "truck")).toBeDefined();
    const installed = await db().deploymentInstallation.findMany({ where: { deploymentId } });
    expect(installed.map((i) => i.state)).toEqual(["ready", "ready", "ready"]);
  });

  it("re-applying the same revision is idempotent: nothing changes on the clusters", async () => {
    const before = await Promise.all(STORES.map((s) => deploymentOn(s)));
    const again = await startRollout(
      "pos",
      { targets: { sites: STORES }, strategy: strategyWith(FAST), force: false },
      operator,
    ).catch((e: unknown) => e);
    // The revision has a Namespace: an operator may not roll it out.
    expect(String(again)).toContain("needs the admin role");
    const { id } = await startRollout(
      "pos",
      { targets: { sites: STORES }, strategy: strategyWith(FAST), force: false },
      admin,
    );
    const r = await waitFor(async () => {
      const x = await rolloutState(id);
      return x.state === "completed" ? x : undefined;
    }, 30_000);
    const preflights = r.targets.map((t) =>
      (JSON.parse(t.detail) as { preflight: { outcome: string }[] }).preflight.map((p) => p.outcome),
    );
    expect(preflights).toEqual([
      ["unchanged", "unchanged", "unchanged", "unchanged"],
      ["unchanged", "unchanged", "unchanged", "unchanged"],
    ]);
    const after = await Promise.all(STORES.map((s) => deploymentOn(s)));
    expect(after.map((d) => d?.metadata.resourceVersion)).toEqual(
      before.map((d) => d?.metadata.resourceVersion),
    );
    expect(after.map((d) => d?.metadata.generation)).toEqual(before.map((d) => d?.metadata.generation));
  });

  it("a broken image in the canary pauses the rollout with the pod's reason, and rollback re-applies and prunes", async () => {
    const extra = `---
apiVersion: v1
kind: ConfigMap
metadata: { name: pos-feature-flags, namespace: pos-app }
data: { beta: "true" }
`;
    const rev2 = await createRevision(
      deploymentId,
      { manifest: manifest("pos:broken", extra), message: "new image" },
      admin,
    );
    expect(rev2.revision.number).toBe(2);
    const { id } = await startRollout(
      "pos",
      { targets: { sites: STORES }, strategy: strategyWith(FAST), force: false },
      admin,
    );
    const paused = await waitFor(async () => {
      const r = await rolloutState(id);
      return r.state === "paused" ? r : undefined;
    }, 30_000);
    expect(paused.stateReason).toMatch(
      /^wave 1 \(canary\): 1 of 1 failed — Deployment pos-app\/pos-api: pod pos-api-\w+-\w+: ImagePullBackOff/,
    );
    const canary = paused.targets.find((t) => t.wave === 0);
    expect(canary).toMatchObject({ state: "failed", failure: "image-pull" });
    expect(paused.targets.find((t) => t.wave === 1)?.state).toBe("queued");
    expect(
      (await rawRequest(api("store-alpha-01"), "/api/v1/namespaces/pos-app/configmaps/pos-feature-flags"))
        .status,
    ).toBe(200);

    const back = await rollbackRollout(id, {}, admin);
    expect(back.revision).toBe(1);
    const done = await waitFor(async () => {
      const r = await rolloutState(back.id);
      return r.state === "completed" ? r : undefined;
    }, 30_000);
    expect(done.targets.map((t) => t.state)).toEqual(["ready"]);
    expect((await deploymentOn("store-alpha-01"))?.spec.template.spec.containers[0]?.image).toBe("pos:1");
    expect(
      (await rawRequest(api("store-alpha-01"), "/api/v1/namespaces/pos-app/configmaps/pos-feature-flags"))
        .status,
    ).toBe(404);
    const original = await rolloutState(id);
    expect(original.state).toBe("rolled-back");
    expect(stateOf(original, "store-alpha-01")?.state).toBe("rolled-back");
    expect(stateOf(original, "store-beta-01")?.state).toBe("cancelled");
  });

  it("holds a site in maintenance and goes on there when it ends; pause and resume", async () => {
    await createRevision(deploymentId, { manifest: manifest("pos:3"), message: "pos 3" }, admin);
    const beta = (await db().site.findUniqueOrThrow({ where: { slug: "store-beta-01" } })).id;
    let isInMaintenance = true;
    setMaintenanceLookup(
      async (ids) =>
        new Map(
          isInMaintenance && ids.includes(beta) ? [[beta, { reason: "till replaced", endsAt: null }]] : [],
        ),
    );
    const { id } = await startRollout(
      "pos",
      { targets: { sites: STORES }, strategy: strategyWith(FAST), force: false },
      admin,
    );
    const held = await waitFor(async () => {
      const r = await rolloutState(id);
      return stateOf(r, "store-beta-01")?.state === "held" && stateOf(r, "store-alpha-01")?.state === "ready"
        ? r
        : undefined;
    }, 30_000);
    expect(stateOf(held, "store-beta-01")?.reason).toBe("site in maintenance: till replaced");
    await pauseRollout(id, admin);
    isInMaintenance = false;
    // A tick after the pause (run here, beside the service's own) frees the site but starts nothing.
    await tickRollouts(null);
    expect(stateOf(await rolloutState(id), "store-beta-01")?.state).toBe("queued");
    await resumeRollout(id, { retryFailed: false }, admin);
    const done = await waitFor(async () => {
      const r = await rolloutState(id);
      return r.state === "completed" ? r : undefined;
    }, 30_000);
    expect(done.targets.map((t) => t.state)).toEqual(["ready", "ready"]);
    const events = await db().rolloutEvent.findMany({ where: { rolloutId: id }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.message).join("\n")).toMatch(/paused by ops-admin[\s\S]*resumed by ops-admin/);
  });

  it("lets only one of two racing starts run (one active rollout per deployment)", async () => {
    const start = () =>
      startRollout("pos", { targets: { sites: STORES }, strategy: strategyWith(FAST), force: false }, admin);
    const results = await Promise.allSettled([start(), start()]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(String((lost[0] as PromiseRejectedResult).reason)).toMatch(/rollout of this deployment/);
    const winner = (won[0] as PromiseFulfilledResult<{ id: string }>).value.id;
    await waitFor(
      async () => ((await rolloutState(winner)).state === "completed" ? true : undefined),
      30_000,
    );
  });

  it("detects drift with the fields, and clears it when the object matches again", async () => {
    const alphaCluster = (
      await db().cluster.findFirstOrThrow({ where: { site: { slug: "store-alpha-01" } } })
    ).id;
    const inst = await db().deploymentInstallation.findFirstOrThrow({
      where: { deploymentId, clusterId: alphaCluster },
    });
    expect(await checkDrift(inst.id, null)).toBe("ready");
    await rawRequest(
      api("store-alpha-01"),
      "/api/v1/namespaces/pos-app/configmaps/pos-config?fieldManager=kubectl-edit",
      {
        method: "PATCH",
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ data: { currency: "USD" } }),
      },
    );
    expect(await checkDrift(inst.id, null)).toBe("drifted");
    const drifted = await db().deploymentInstallation.findUniqueOrThrow({ where: { id: inst.id } });
    expect(JSON.parse(drifted.driftFields)).toEqual([
      expect.objectContaining({
        object: "ConfigMap pos-app/pos-config",
        path: "data.currency",
        manager: "kubectl-edit",
      }),
    ]);
  });
});

describe("restart", () => {
  it("restarts a workload on every turbine of a wind farm and follows the new pods until ready", async () => {
    const before = await Promise.all(
      ["turbine-01", "turbine-02"].map(async (c) =>
        (
          (
            await rawRequest(
              api("wf-test-1", c),
              "/api/v1/namespaces/turbine/pods?labelSelector=app%3Dpitch-control",
            )
          ).json as { items: { metadata: { name: string } }[] }
        ).items.map((p) => p.metadata.name),
      ),
    );
    const { id } = await startRestart(
      {
        description: "",
        targets: { sites: ["wf-test-1"] },
        workloads: { labelSelector: "app=pitch-control", namespace: "turbine", kinds: ["Deployment"] },
        strategy: strategyWith({ ...FAST, waves: { by: "site" } }),
      },
      operator,
    );
    const done = await waitFor(async () => {
      const r = await rolloutState(id);
      return r.state === "completed" ? r : undefined;
    }, 30_000);
    expect(done.targets.map((t) => [t.clusterName, t.state])).toEqual([
      ["control-center", "ready"],
      ["turbine-01", "ready"],
      ["turbine-02", "ready"],
    ]);
    expect(done.targets[0]?.reason).toBe(
      "nothing matches Deployment matching app=pitch-control in turbine here; nothing to restart",
    );
    const detail = JSON.parse(done.targets[1]?.detail ?? "{}") as {
      restart: { workloads: { name: string }[]; stamp: string };
    };
    expect(detail.restart.workloads.map((w) => w.name)).toEqual(["pitch-control"]);
    const after = await Promise.all(
      ["turbine-01", "turbine-02"].map(
        async (c) =>
          (
            (
              await rawRequest(
                api("wf-test-1", c),
                "/api/v1/namespaces/turbine/pods?labelSelector=app%3Dpitch-control",
              )
            ).json as {
              items: {
                metadata: { name: string; annotations?: Record<string, string> };
                status: { phase: string };
              }[];
            }
          ).items,
      ),
    );
    after.forEach((pods, i) => {
      expect(pods.every((p) => !before[i]?.includes(p.metadata.name))).toBe(true);
      expect(
        pods.every(
          (p) =>
            p.status.phase === "Running" &&
            p.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"] === detail.restart.stamp,
        ),
      ).toBe(true);
    });
  });
});
