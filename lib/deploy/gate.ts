// The health gate: is what we applied actually running? Per object, in the
// order kstatus uses (generation observed → kind-specific rules → conditions),
// with an explicit "assumed" for kinds whose readiness we cannot read, and pod
// failures (image pull, crash loop) caught early with the pod's own words. Pure.
import { isObject, type JsonObject } from "./manifest";
import type { FailureKind } from "./target-state";

export type HealthState = "current" | "in-progress" | "failed" | "assumed";

export interface ObjectHealth {
  state: HealthState;
  reason: string;
  failure?: FailureKind;
}

const num = (v: unknown, fallback = 0): number => (typeof v === "number" ? v : fallback);
const rec = (v: unknown): JsonObject => (isObject(v) ? v : {});
const list = (v: unknown): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

function condition(obj: JsonObject, type: string): JsonObject | undefined {
  return list(rec(obj.status).conditions).find((c) => c.type === type);
}

/** Waiting reasons that will not fix themselves: fail the gate at once instead of waiting for the timeout. */
const FATAL_WAITING: Readonly<Record<string, FailureKind>> = {
  ImagePullBackOff: "image-pull",
  InvalidImageName: "image-pull",
  ErrImageNeverPull: "image-pull",
  CrashLoopBackOff: "crash-loop",
  CreateContainerConfigError: "rejected",
  CreateContainerError: "rejected",
};

export interface PodProblem {
  pod: string;
  container: string;
  reason: string;
  message: string;
  failure: FailureKind;
}

function templateOf(workload: JsonObject): JsonObject {
  return rec(rec(workload.spec).template);
}

function imagesOf(podSpec: JsonObject): string[] {
  return list(podSpec.containers).map((c) => String(c.image ?? ""));
}

const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

/**
 * The pods of the workload's current template: same images and same restart stamp. Old pods of
 * a previous (perhaps broken) revision are being replaced and must not fail a rollback.
 */
export function currentPods(workload: JsonObject, pods: JsonObject[]): JsonObject[] {
  const template = templateOf(workload);
  const matchLabels = rec(rec(rec(workload.spec).selector).matchLabels) as Record<string, unknown>;
  const images = imagesOf(rec(template.spec)).join(" ");
  const stamp = rec(rec(template.metadata).annotations)[RESTARTED_AT];
  return pods.filter((p) => {
    const meta = rec(p.metadata);
    const labels = rec(meta.labels);
    if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
    if (imagesOf(rec(p.spec)).join(" ") !== images) return false;
    return rec(meta.annotations)[RESTARTED_AT] === stamp;
  });
}

export function podProblems(pods: JsonObject[]): PodProblem[] {
  const out: PodProblem[] = [];
  for (const pod of pods) {
    const status = rec(pod.status);
    for (const c of [...list(status.initContainerStatuses), ...list(status.containerStatuses)]) {
      const waiting = rec(rec(c.state).waiting);
      const reason = typeof waiting.reason === "string" ? waiting.reason : "";
      const failure = FATAL_WAITING[reason];
      if (!failure) continue;
      out.push({
        pod: String(rec(pod.metadata).name ?? ""),
        container: String(c.name ?? ""),
        reason,
        message: typeof waiting.message === "string" ? waiting.message : "",
        failure,
      });
    }
  }
  return out;
}

function podFailure(workload: JsonObject, pods: JsonObject[] | undefined): ObjectHealth | undefined {
  if (!pods) return undefined;
  const [problem] = podProblems(currentPods(workload, pods));
  if (!problem) return undefined;
  return {
    state: "failed",
    reason: `pod ${problem.pod}: ${problem.reason}${problem.message ? `: ${problem.message}` : ""}`,
    failure: problem.failure,
  };
}

function observed(obj: JsonObject): ObjectHealth | undefined {
  const generation = num(rec(obj.metadata).generation, 0);
  const seen = num(rec(obj.status).observedGeneration, 0);
  if (generation > 0 && seen < generation)
    return { state: "in-progress", reason: "waiting for the controller to see the new spec" };
  return undefined;
}

function deploymentHealth(obj: JsonObject, pods?: JsonObject[]): ObjectHealth {
  // Conditions describe the generation the controller saw: a new spec first has to be observed.
  const pending = observed(obj);
  if (pending) return pending;
  const progressing = condition(obj, "Progressing");
  if (progressing?.reason === "ProgressDeadlineExceeded")
    return (
      podFailure(obj, pods) ?? {
        state: "failed",
        reason: String(progressing.message ?? "progress deadline exceeded"),
        failure: "timeout",
      }
    );
  const failed = podFailure(obj, pods);
  if (failed) return failed;
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  const want = num(spec.replicas, 1);
  const updated = num(status.updatedReplicas);
  const available = num(status.availableReplicas);
  const total = num(status.replicas);
  if (updated < want) return { state: "in-progress", reason: `${updated} of ${want} replicas updated` };
  if (total > updated)
    return { state: "in-progress", reason: `${total - updated} old replicas pending termination` };
  if (available < want) return { state: "in-progress", reason: `${available} of ${want} replicas available` };
  return { state: "current", reason: `${available} of ${want} replicas available` };
}

function daemonSetHealth(obj: JsonObject, pods?: JsonObject[]): ObjectHealth {
  const pending = observed(obj);
  if (pending) return pending;
  const failed = podFailure(obj, pods);
  if (failed) return failed;
  const status = rec(obj.status);
  const desired = num(status.desiredNumberScheduled);
  const updated = num(status.updatedNumberScheduled);
  const available = num(status.numberAvailable);
  if (updated < desired) return { state: "in-progress", reason: `${updated} of ${desired} nodes updated` };
  if (available < desired)
    return { state: "in-progress", reason: `${available} of ${desired} nodes available` };
  return { state: "current", reason: `${available} of ${desired} nodes available` };
}

function statefulSetHealth(obj: JsonObject, pods?: JsonObject[]): ObjectHealth {
  const pending = observed(obj);
  if (pending) return pending;
  const failed = podFailure(obj, pods);
  if (failed) return failed;
  const status = rec(obj.status);
  const want = num(rec(obj.spec).replicas, 1);
  const ready = num(status.readyReplicas);
  const updated = num(status.updatedReplicas);
  if (updated < want) return { state: "in-progress", reason: `${updated} of ${want} replicas updated` };
  if (status.currentRevision !== status.updateRevision)
    return { state: "in-progress", reason: "rolling update in progress" };
  if (ready < want) return { state: "in-progress", reason: `${ready} of ${want} replicas ready` };
  return { state: "current", reason: `${ready} of ${want} replicas ready` };
}

function jobHealth(job: JsonObject): ObjectHealth {
  const failed = condition(job, "Failed");
  if (failed?.status === "True")
    return {
      state: "failed",
      reason: `job failed: ${String(failed.message ?? failed.reason ?? "")}`,
      failure: "rejected",
    };
  const complete = condition(job, "Complete");
  if (complete?.status === "True") return { state: "current", reason: "job complete" };
  return { state: "in-progress", reason: "job running" };
}

/** k3s HelmChart: ready when its helm-install Job completed; the controller reports failure as a condition. */
function helmChartHealth(chart: JsonObject, job: JsonObject | undefined): ObjectHealth {
  const failed = condition(chart, "Failed");
  if (failed?.status === "True")
    return {
      state: "failed",
      reason: `helm install failed: ${String(failed.message ?? "")}`,
      failure: "rejected",
    };
  const jobName = rec(chart.status).jobName;
  if (!jobName) return { state: "in-progress", reason: "waiting for the helm controller" };
  if (!job) return { state: "in-progress", reason: `waiting for job ${String(jobName)}` };
  const health = jobHealth(job);
  return health.state === "current" ? { state: "current", reason: "chart installed" } : health;
}

export interface HealthInput {
  /** the live object (undefined: not found) */
  object: JsonObject | undefined;
  /** pods in the object's namespace, for workloads */
  pods?: JsonObject[];
  /** for a HelmChart: its helm-install Job */
  job?: JsonObject;
}

export function objectHealth(kind: string, input: HealthInput): ObjectHealth {
  const obj = input.object;
  if (!obj) return { state: "in-progress", reason: "not found on the cluster yet" };
  if (rec(obj.metadata).deletionTimestamp) return { state: "in-progress", reason: "being deleted" };
  switch (kind) {
    case "Deployment":
      return deploymentHealth(obj, input.pods);
    case "DaemonSet":
      return daemonSetHealth(obj, input.pods);
    case "StatefulSet":
      return statefulSetHealth(obj, input.pods);
    case "Job":
      return jobHealth(obj);
    case "HelmChart":
      return helmChartHealth(obj, input.job);
    case "Namespace":
    case "ConfigMap":
    case "Secret":
    case "Service":
    case "ServiceAccount":
    case "Role":
    case "RoleBinding":
    case "ClusterRole":
    case "ClusterRoleBinding":
    case "CustomResourceDefinition":
    case "HelmChartConfig":
      return { state: "current", reason: "present" };
  }
  // Unknown kinds: a Ready condition if the controller publishes one, else present is all we know.
  const ready = condition(obj, "Ready");
  if (ready?.status === "True") return { state: "current", reason: "Ready" };
  if (ready?.status === "False")
    return { state: "in-progress", reason: String(ready.message ?? ready.reason ?? "not Ready") };
  return { state: "assumed", reason: "present; readiness not reported by this kind" };
}

export type GateVerdict =
  | { verdict: "ready"; reason: string }
  | { verdict: "failed"; reason: string; failure: FailureKind }
  | { verdict: "waiting"; reason: string };

export interface GateInput {
  objects: { label: string; health: ObjectHealth }[];
  appliedAt: number;
  timeoutMs: number;
  now: number;
  /** what went wrong on the site since the apply, beyond this rollout's own workloads (a sentence), or null */
  siteWorse: string | null;
}

/** One target's verdict from its objects' health, the rollout timeout and the site's health. */
export function gate(input: GateInput): GateVerdict {
  const failed = input.objects.find((o) => o.health.state === "failed");
  if (failed)
    return {
      verdict: "failed",
      reason: `${failed.label}: ${failed.health.reason}`,
      failure: failed.health.failure ?? "unhealthy",
    };
  if (input.siteWorse)
    return {
      verdict: "failed",
      reason: `the site became ${input.siteWorse} after the apply`,
      failure: "site-degraded",
    };
  const pending = input.objects.find((o) => o.health.state === "in-progress");
  if (pending) {
    const waited = input.now - input.appliedAt;
    if (waited >= input.timeoutMs) {
      return {
        verdict: "failed",
        reason: `not ready after ${Math.round(input.timeoutMs / 1000)} s: ${pending.label}: ${pending.health.reason}`,
        failure: "timeout",
      };
    }
    return { verdict: "waiting", reason: `${pending.label}: ${pending.health.reason}` };
  }
  const assumed = input.objects.filter((o) => o.health.state === "assumed").length;
  const count = input.objects.length;
  return {
    verdict: "ready",
    reason:
      assumed > 0
        ? `${count - assumed} of ${count} objects ready, ${assumed} assumed (kind reports no readiness)`
        : `${count === 1 ? "1 object" : `${count} objects`} ready`,
  };
}
