// k3s's helm-controller and the Job controller, as far as deploys need them: a
// HelmChart gets a helm-install Job (replaced when the chart's spec changes), the
// Job runs for the pod start delay and then completes, or fails when the chart or
// image says "broken"; the HelmChart's status names its Job and whether it failed.
import { createHash } from "node:crypto";
import { findResource, type ResourceDef } from "./resources";
import { HELMCHARTS } from "./seed";
import { isoTime, isRecord, type JsonRecord, type K8sObject } from "./types";
import { recordEvent, type WorkloadContext } from "./workloads";

function must(group: string, name: string): ResourceDef {
  const found = findResource(group, "v1", name);
  if (!found) throw new Error(`unknown resource ${group}/${name}`);
  return found;
}

export const JOBS = must("batch", "jobs");

const KLIPPER_HELM = "rancher/klipper-helm:v0.9.3-build20241008";
const CONFIG_HASH = "helmcharts.helm.cattle.io/configHash";

function configHash(chart: K8sObject): string {
  return `SHA256=${createHash("sha256")
    .update(JSON.stringify(chart.spec ?? {}))
    .digest("hex")
    .toUpperCase()}`;
}

function helmJob(chart: K8sObject, hash: string): K8sObject {
  const spec = (chart.spec ?? {}) as JsonRecord;
  const env = (name: string, value: unknown) => ({ name, value: value === undefined ? "" : String(value) });
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: `helm-install-${chart.metadata.name}`,
      namespace: chart.metadata.namespace,
      labels: { "helmcharts.helm.cattle.io/chart": chart.metadata.name },
      annotations: { [CONFIG_HASH]: hash },
      ownerReferences: [
        {
          apiVersion: "helm.cattle.io/v1",
          kind: "HelmChart",
          name: chart.metadata.name,
          uid: chart.metadata.uid ?? "",
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      backoffLimit: typeof spec.backOffLimit === "number" ? spec.backOffLimit : 1000,
      completions: 1,
      parallelism: 1,
      template: {
        metadata: { labels: { "helmcharts.helm.cattle.io/chart": chart.metadata.name } },
        spec: {
          restartPolicy: "OnFailure",
          serviceAccountName: `helm-${chart.metadata.name}`,
          containers: [
            {
              name: "helm",
              image: typeof spec.jobImage === "string" ? spec.jobImage : KLIPPER_HELM,
              args: ["install"],
              env: [
                env("NAME", chart.metadata.name),
                env("VERSION", spec.version),
                env("REPO", spec.repo),
                env("CHART", spec.chart),
                env("TARGET_NAMESPACE", spec.targetNamespace ?? chart.metadata.namespace),
                env("HELM_DRIVER", "secret"),
              ],
            },
          ],
        },
      },
    },
    status: {},
  };
}

/** A chart whose name or version mentions "broken" fails to install, like a `:broken` image fails to pull. */
function isBrokenJob(job: K8sObject): boolean {
  const template = ((job.spec ?? {}) as JsonRecord).template as JsonRecord | undefined;
  const containers = (((template?.spec ?? {}) as JsonRecord).containers ?? []) as JsonRecord[];
  return containers.some((c) => {
    const image = String(c.image ?? "");
    if (/:(broken|crash)$/.test(image)) return true;
    const env = Array.isArray(c.env) ? (c.env as JsonRecord[]) : [];
    return env.some(
      (e) => (e.name === "CHART" || e.name === "VERSION") && /broken/.test(String(e.value ?? "")),
    );
  });
}

function condition(type: string, status: boolean, reason: string, message: string, at: string): JsonRecord {
  return {
    type,
    status: status ? "True" : "False",
    lastProbeTime: at,
    lastTransitionTime: at,
    reason,
    message,
  };
}

/** Returns true while the Job is still running. */
export function reconcileJob(ctx: WorkloadContext, job: K8sObject, isInstant = false): boolean {
  const status = (job.status ?? {}) as JsonRecord;
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonRecord[]) : [];
  if (conditions.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True"))
    return false;
  const uid = job.metadata.uid ?? "";
  const now = ctx.now();
  const at = isoTime(now);
  let due = ctx.podDueAt.get(uid);
  if (due === undefined) {
    due = now + (isInstant ? 0 : ctx.podStartMs);
    ctx.podDueAt.set(uid, due);
  }
  let next: JsonRecord;
  if (now < due) {
    if (status.active === 1) return true;
    next = { startTime: at, active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} };
  } else {
    ctx.podDueAt.delete(uid);
    const startTime = typeof status.startTime === "string" ? status.startTime : at;
    if (isBrokenJob(job)) {
      next = {
        startTime,
        failed: 1,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: [
          condition(
            "FailureTarget",
            true,
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
            at,
          ),
          condition(
            "Failed",
            true,
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit",
            at,
          ),
        ],
      };
      recordEvent(
        ctx,
        job,
        "Warning",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
        "job-controller",
      );
    } else {
      next = {
        startTime,
        completionTime: at,
        succeeded: 1,
        ready: 0,
        terminating: 0,
        uncountedTerminatedPods: {},
        conditions: [
          condition(
            "SuccessCriteriaMet",
            true,
            "CompletionsReached",
            "Reached expected number of succeeded pods",
            at,
          ),
          condition("Complete", true, "CompletionsReached", "Reached expected number of succeeded pods", at),
        ],
      };
      recordEvent(ctx, job, "Normal", "Completed", "Job completed", "job-controller");
    }
  }
  const latest = ctx.store.get(JOBS, job.metadata.namespace, job.metadata.name) ?? job;
  ctx.store.update(JOBS, { ...latest, status: next });
  return now < due;
}

/** Keeps each HelmChart's helm-install Job in step with the chart's spec; returns true while it runs. */
export function reconcileHelmChart(ctx: WorkloadContext, chart: K8sObject, isInstant = false): boolean {
  const hash = configHash(chart);
  const name = `helm-install-${chart.metadata.name}`;
  const ns = chart.metadata.namespace;
  let job = ctx.store.get(JOBS, ns, name);
  if (job && job.metadata.annotations?.[CONFIG_HASH] !== hash) {
    ctx.store.delete(JOBS, ns, name);
    ctx.podDueAt.delete(job.metadata.uid ?? "");
    job = undefined;
  }
  if (!job) job = ctx.store.create(JOBS, helmJob(chart, hash));
  const isRunning = reconcileJob(ctx, job, isInstant);
  const current = ctx.store.get(JOBS, ns, name) ?? job;
  const jobConditions = (((current.status ?? {}) as JsonRecord).conditions ?? []) as JsonRecord[];
  const failed = jobConditions.find((c) => c.type === "Failed" && c.status === "True");
  const at = isoTime(ctx.now());
  const latest = ctx.store.get(HELMCHARTS, ns, chart.metadata.name) ?? chart;
  const previous = (isRecord(latest.status) ? latest.status : {}) as JsonRecord;
  const prevConditions = (previous.conditions ?? []) as JsonRecord[];
  const keep = (type: string, status: string) =>
    prevConditions.find((c) => c.type === type && c.status === status);
  const status = {
    jobName: name,
    conditions: [
      keep("JobCreated", "True") ??
        condition("JobCreated", true, "Job created", `Applying HelmChart using Job ${ns}/${name}`, at),
      failed
        ? (keep("Failed", "True") ??
          condition(
            "Failed",
            true,
            "Job failed",
            `Job ${ns}/${name} failed: ${String(failed.message ?? "")}`,
            at,
          ))
        : (keep("Failed", "False") ?? condition("Failed", false, "", "", at)),
    ],
  };
  if (JSON.stringify(previous) !== JSON.stringify(status))
    ctx.store.update(HELMCHARTS, { ...latest, status });
  return isRunning;
}

/** Jobs nobody else drives (created directly through the API). */
export function isHelmJob(job: K8sObject): boolean {
  return (job.metadata.ownerReferences ?? []).some((r) => r.kind === "HelmChart");
}
