import { describe, expect, it } from "vitest";
import { currentPods, gate, objectHealth, podProblems } from "./gate";

const deployment = (
  status: Record<string, unknown>,
  generation = 2,
  extra: Record<string, unknown> = {},
) => ({
  kind: "Deployment",
  metadata: { name: "web", generation },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" }, ...extra },
      spec: { containers: [{ name: "app", image: "pos:2" }] },
    },
  },
  status,
});

const pod = (
  name: string,
  image: string,
  waiting?: { reason: string; message?: string },
  annotations?: Record<string, string>,
) => ({
  metadata: { name, labels: { app: "web" }, ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: "app", image }] },
  status: { containerStatuses: [{ name: "app", state: waiting ? { waiting } : { running: {} } }] },
});

describe("objectHealth: Deployment", () => {
  it("waits for the controller to observe the new generation before trusting conditions", () => {
    const stale = deployment({
      observedGeneration: 1,
      conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded" }],
    });
    expect(objectHealth("Deployment", { object: stale })).toMatchObject({
      state: "in-progress",
      reason: expect.stringContaining("controller"),
    });
  });

  it("follows updated, old and available replicas", () => {
    expect(
      objectHealth("Deployment", {
        object: deployment({ observedGeneration: 2, updatedReplicas: 1, replicas: 2 }),
      }).reason,
    ).toBe("1 of 2 replicas updated");
    expect(
      objectHealth("Deployment", {
        object: deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 3 }),
      }).reason,
    ).toBe("1 old replicas pending termination");
    expect(
      objectHealth("Deployment", {
        object: deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 1 }),
      }).reason,
    ).toBe("1 of 2 replicas available");
    expect(
      objectHealth("Deployment", {
        object: deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
      }).state,
    ).toBe("current");
  });

  it("fails at once on a current pod in ImagePullBackOff, quoting the pod", () => {
    const health = objectHealth("Deployment", {
      object: deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 2 }),
      pods: [
        pod("web-1", "pos:2", { reason: "ImagePullBackOff", message: 'Back-off pulling image "pos:2"' }),
      ],
    });
    expect(health).toEqual({
      state: "failed",
      reason: 'pod web-1: ImagePullBackOff: Back-off pulling image "pos:2"',
      failure: "image-pull",
    });
  });

  it("ignores failing pods of an older template (a rollback away from a broken image)", () => {
    const health = objectHealth("Deployment", {
      object: deployment({ observedGeneration: 2, updatedReplicas: 2, replicas: 3, availableReplicas: 2 }),
      pods: [pod("old", "pos:broken", { reason: "ImagePullBackOff" }), pod("new", "pos:2")],
    });
    expect(health.state).toBe("in-progress");
  });

  it("fails on ProgressDeadlineExceeded, preferring the pod's reason", () => {
    const timedOut = deployment({
      observedGeneration: 2,
      conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded", message: "timed out" }],
    });
    expect(objectHealth("Deployment", { object: timedOut })).toEqual({
      state: "failed",
      reason: "timed out",
      failure: "timeout",
    });
    expect(
      objectHealth("Deployment", {
        object: timedOut,
        pods: [pod("p", "pos:2", { reason: "CrashLoopBackOff" })],
      }).failure,
    ).toBe("crash-loop");
  });
});

describe("currentPods", () => {
  it("matches selector, images and the restart stamp", () => {
    const restarted = deployment({}, 2, { annotations: { "kubectl.kubernetes.io/restartedAt": "t2" } });
    const pods = [
      pod("before", "pos:2", undefined, { "kubectl.kubernetes.io/restartedAt": "t1" }),
      pod("after", "pos:2", undefined, { "kubectl.kubernetes.io/restartedAt": "t2" }),
      { ...pod("other", "pos:2"), metadata: { name: "other", labels: { app: "db" } } },
    ];
    expect(currentPods(restarted, pods).map((p) => (p.metadata as { name: string }).name)).toEqual(["after"]);
  });
});

describe("objectHealth: other kinds", () => {
  it("DaemonSet counts updated and available nodes", () => {
    const ds = (status: Record<string, unknown>) => ({
      metadata: { generation: 1 },
      spec: {},
      status: { observedGeneration: 1, ...status },
    });
    expect(
      objectHealth("DaemonSet", {
        object: ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 3 }),
      }).reason,
    ).toBe("2 of 3 nodes updated");
    expect(
      objectHealth("DaemonSet", {
        object: ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }),
      }).state,
    ).toBe("current");
  });

  it("StatefulSet waits for the update revision", () => {
    const sts = {
      metadata: { generation: 1 },
      spec: { replicas: 2 },
      status: {
        observedGeneration: 1,
        updatedReplicas: 2,
        readyReplicas: 2,
        currentRevision: "a",
        updateRevision: "b",
      },
    };
    expect(objectHealth("StatefulSet", { object: sts }).reason).toBe("rolling update in progress");
    expect(
      objectHealth("StatefulSet", { object: { ...sts, status: { ...sts.status, currentRevision: "b" } } })
        .state,
    ).toBe("current");
  });

  it("HelmChart follows its helm-install Job and the controller's Failed condition", () => {
    const chart = { metadata: {}, status: { jobName: "helm-install-x" } };
    expect(objectHealth("HelmChart", { object: chart }).reason).toBe("waiting for job helm-install-x");
    expect(
      objectHealth("HelmChart", {
        object: chart,
        job: { status: { conditions: [{ type: "Complete", status: "True" }] } },
      }).state,
    ).toBe("current");
    expect(
      objectHealth("HelmChart", {
        object: {
          ...chart,
          status: { ...chart.status, conditions: [{ type: "Failed", status: "True", message: "boom" }] },
        },
      }),
    ).toMatchObject({ state: "failed", failure: "rejected" });
  });

  it("config objects are current when present; unknown kinds use Ready or are assumed", () => {
    expect(objectHealth("ConfigMap", { object: { metadata: {} } }).state).toBe("current");
    expect(objectHealth("ConfigMap", { object: undefined }).state).toBe("in-progress");
    expect(objectHealth("Widget", { object: { metadata: {} } }).state).toBe("assumed");
    expect(
      objectHealth("Widget", {
        object: { metadata: {}, status: { conditions: [{ type: "Ready", status: "True" }] } },
      }).state,
    ).toBe("current");
  });
});

describe("podProblems", () => {
  it("reports only reasons that do not fix themselves", () => {
    expect(
      podProblems([
        pod("a", "x", { reason: "ContainerCreating" }),
        pod("b", "x", { reason: "ErrImagePull" }),
      ]),
    ).toEqual([]);
    expect(podProblems([pod("c", "x", { reason: "CrashLoopBackOff", message: "back-off" })])).toEqual([
      { pod: "c", container: "app", reason: "CrashLoopBackOff", message: "back-off", failure: "crash-loop" },
    ]);
  });
});

describe("gate", () => {
  const ok = { label: "Deployment pos/web", health: { state: "current" as const, reason: "2 of 2" } };
  const waiting = {
    label: "Deployment pos/web",
    health: { state: "in-progress" as const, reason: "1 of 2 replicas available" },
  };
  const base = { appliedAt: 0, timeoutMs: 60_000, now: 10_000, siteWorse: null };

  it("is ready when every object is current, saying how many were assumed", () => {
    expect(gate({ ...base, objects: [ok] })).toEqual({ verdict: "ready", reason: "1 object ready" });
    expect(
      gate({ ...base, objects: [ok, { label: "Widget w", health: { state: "assumed", reason: "" } }] })
        .reason,
    ).toContain("1 assumed");
  });

  it("waits until the rollout timeout, then fails naming what was not ready", () => {
    expect(gate({ ...base, objects: [waiting] })).toEqual({
      verdict: "waiting",
      reason: "Deployment pos/web: 1 of 2 replicas available",
    });
    expect(gate({ ...base, now: 59_999, objects: [waiting] }).verdict).toBe("waiting");
    expect(gate({ ...base, now: 60_000, objects: [waiting] })).toEqual({
      verdict: "failed",
      reason: "not ready after 60 s: Deployment pos/web: 1 of 2 replicas available",
      failure: "timeout",
    });
  });

  it("fails on a failed object or a site that became worse", () => {
    expect(
      gate({
        ...base,
        objects: [ok, { label: "x", health: { state: "failed", reason: "boom", failure: "image-pull" } }],
      }),
    ).toEqual({
      verdict: "failed",
      reason: "x: boom",
      failure: "image-pull",
    });
    expect(gate({ ...base, objects: [ok], siteWorse: "degraded" })).toMatchObject({
      verdict: "failed",
      failure: "site-degraded",
    });
  });
});
