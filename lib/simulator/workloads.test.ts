import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "./simulator";
import { kubeConfigFor, smallFleet, statusBody, statusOf, waitFor } from "./testing";

let sim: SimulatorHandle;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;
let objects: k8s.KubernetesObjectApi;

beforeAll(async () => {
  sim = await startSimulator({ fleet: smallFleet(), podStartMs: 150, deadlineScale: 0.002, tickMs: 50 });
  kc = kubeConfigFor(sim, "store-alpha-01", "edge");
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
});

afterAll(async () => {
  await sim.stop();
});

function deployment(name: string, image: string, replicas = 2): k8s.V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: {
      replicas,
      progressDeadlineSeconds: 600,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
    },
  };
}

async function podsOf(app: string) {
  return (await core.listNamespacedPod({ namespace: "default", labelSelector: `app=${app}` })).items;
}

describe("server-side apply", () => {
  it("requires a fieldManager (422)", async () => {
    const err = await objects
      .patch(
        deployment("ssa-nofm", "nginx:1.27"),
        undefined,
        undefined,
        undefined,
        undefined,
        k8s.PatchStrategy.ServerSideApply,
      )
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(422);
    expect(statusBody(err).message).toContain("fieldManager: Required value");
  });

  it("creates, tracks managedFields, reports conflicts with 409 naming the manager, and force takes ownership", async () => {
    const created = (await objects.patch(
      deployment("ssa", "nginx:1.27"),
      undefined,
      undefined,
      "team-a",
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    )) as k8s.V1Deployment;
    expect(created.metadata?.managedFields?.[0]).toMatchObject({ manager: "team-a", operation: "Apply" });
    expect(JSON.stringify(created.metadata?.managedFields?.[0]?.fieldsV1)).toContain('"f:replicas"');
    expect(created.metadata?.generation).toBe(1);

    const sameValue = deployment("ssa", "nginx:1.27");
    const shared = (await objects.patch(
      sameValue,
      undefined,
      undefined,
      "team-b",
      undefined,
      k8s.PatchStrategy.ServerSideApply,
    )) as k8s.V1Deployment;
    expect(shared.metadata?.managedFields?.map((m) => m.manager).sort()).toEqual(["team-a", "team-b"]);

    const theirs = deployment("ssa", "nginx:1.27", 5);
    const err = await objects
      .patch(theirs, undefined, undefined, "team-c", undefined, k8s.PatchStrategy.ServerSideApply)
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(409);
    const body = statusBody(err);
    expect(body.reason).toBe("Conflict");
    expect(body.message).toContain('conflict with "team-a"');
    expect(
      body.details?.causes?.some((c) => c.field === ".spec.replicas" && c.reason === "FieldManagerConflict"),
    ).toBe(true);

    const dry = (await objects.patch(
      theirs,
      undefined,
      "All",
      "team-c",
      true,
      k8s.PatchStrategy.ServerSideApply,
    )) as k8s.V1Deployment;
    expect(dry.spec?.replicas).toBe(5);
    expect((await apps.readNamespacedDeployment({ name: "ssa", namespace: "default" })).spec?.replicas).toBe(
      2,
    );

    const forced = (await objects.patch(
      theirs,
      undefined,
      undefined,
      "team-c",
      true,
      k8s.PatchStrategy.ServerSideApply,
    )) as k8s.V1Deployment;
    expect(forced.spec?.replicas).toBe(5);
    expect(forced.metadata?.generation).toBe(2);
    const owners = forced.metadata?.managedFields ?? [];
    expect(JSON.stringify(owners.find((m) => m.manager === "team-c")?.fieldsV1)).toContain('"f:replicas"');
    expect(JSON.stringify(owners.find((m) => m.manager === "team-a")?.fieldsV1 ?? {})).not.toContain(
      '"f:replicas"',
    );
  });

  it("dryRun=All on create stores nothing", async () => {
    await apps.createNamespacedDeployment({
      namespace: "default",
      body: deployment("dry", "nginx:1.27"),
      dryRun: "All",
    });
    const err = await apps
      .readNamespacedDeployment({ name: "dry", namespace: "default" })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(404);
  });
});

describe("rollouts", () => {
  it("rolls a new Deployment out over time with owned pods and conditions", async () => {
    // A start delay far longer than two requests take on a loaded machine: the pods are
    // certainly still Pending when listed right after the create (the fault only sets the
    // delay of pods created while it lasts).
    const slow = sim.faults.add({
      type: "pod-start-delay",
      site: "store-alpha-01",
      cluster: "edge",
      params: { ms: 2_500 },
    });
    let early: k8s.V1Pod[];
    try {
      const created = await apps.createNamespacedDeployment({
        namespace: "default",
        body: deployment("web", "nginx:1.27", 2),
      });
      expect(created.metadata?.generation).toBe(1);
      early = await podsOf("web");
    } finally {
      sim.faults.remove(slow.id);
    }
    expect(early).toHaveLength(2);
    expect(early.every((p) => p.status?.phase === "Pending")).toBe(true);
    expect(early[0]?.metadata?.ownerReferences?.[0]?.kind).toBe("ReplicaSet");
    const done = await waitFor(async () => {
      const d = await apps.readNamespacedDeployment({ name: "web", namespace: "default" });
      return d.status?.availableReplicas === 2 ? d : undefined;
    }, 20_000);
    expect(done.status).toMatchObject({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
    });
    const progressing = done.status?.conditions?.find((c) => c.type === "Progressing");
    expect(progressing).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    expect(done.status?.conditions?.find((c) => c.type === "Available")?.status).toBe("True");
    const pods = await podsOf("web");
    expect(pods.every((p) => p.status?.phase === "Running" && p.status.containerStatuses?.[0]?.ready)).toBe(
      true,
    );
    const rs = await apps.readNamespacedReplicaSet({
      name: pods[0]?.metadata?.ownerReferences?.[0]?.name ?? "",
      namespace: "default",
    });
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "Deployment", name: "web" });
  });

  it("replaces pods on kubectl rollout restart (strategic merge patch of the template annotation)", async () => {
    const before = (await podsOf("web")).map((p) => p.metadata?.name);
    expect(before).toHaveLength(2);
    const patched = await apps.patchNamespacedDeployment(
      {
        name: "web",
        namespace: "default",
        body: {
          spec: {
            template: {
              metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": new Date().toISOString() } },
            },
          },
        },
      },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.generation).toBe(2);
    const after = await waitFor(async () => {
      const pods = await podsOf("web");
      const isReplaced =
        pods.length === 2 &&
        pods.every((p) => !before.includes(p.metadata?.name) && p.status?.phase === "Running");
      return isReplaced ? pods : undefined;
    }, 5000);
    expect(after.every((p) => p.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"])).toBe(true);
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "default" });
    expect(d.status?.observedGeneration).toBe(2);
  });

  it("ends a :broken image in ImagePullBackOff and ProgressDeadlineExceeded", async () => {
    await apps.createNamespacedDeployment({
      namespace: "default",
      body: deployment("bad", "registry.example/app:broken", 1),
    });
    const pod = await waitFor(async () => {
      const [p] = await podsOf("bad");
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff" ? p : undefined;
    }, 5000);
    expect(pod.status?.phase).toBe("Pending");
    const d = await waitFor(async () => {
      const dep = await apps.readNamespacedDeployment({ name: "bad", namespace: "default" });
      const c = dep.status?.conditions?.find((x) => x.type === "Progressing");
      return c?.reason === "ProgressDeadlineExceeded" ? dep : undefined;
    }, 8000);
    expect(d.status?.conditions?.find((c) => c.type === "Progressing")?.status).toBe("False");
    expect(d.status?.readyReplicas ?? 0).toBe(0);
    const events = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.kind=Pod,type=Warning",
    });
    expect(events.items.some((e) => e.reason === "Failed")).toBe(true);
  });

  it("deleting a Deployment garbage-collects its ReplicaSets and pods", async () => {
    await apps.deleteNamespacedDeployment({ name: "web", namespace: "default" });
    expect(await podsOf("web")).toHaveLength(0);
    const sets = await apps.listNamespacedReplicaSet({ namespace: "default", labelSelector: "app=web" });
    expect(sets.items).toHaveLength(0);
  });
});
