import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { ClusterSnapshot, ClusterSummary } from "@/lib/health/types";
import type { ClaimedJob } from "@/lib/work/jobs";
import type { JobContext } from "@/lib/work/runner";
import { ClusterGone, clientFor } from "./clients";
import {
  applyObject,
  discover,
  namespacesToCreate,
  type ObjectPreview,
  previewObject,
  pruneObject,
  type RestartedWorkload,
  readHealth,
  resourceOf,
  restartWorkloads,
  Unreachable,
} from "./cluster-ops";
import { revisionForApply, revisionObjects } from "./deployments";
import { gate, type ObjectHealth } from "./gate";
import { applyOrder } from "./kinds";
import { type ManifestObject, objectLabel } from "./manifest";
import { previewVerdict } from "./previews";
import { pruneSet } from "./prune";
import { describeRestart, type RestartSpec } from "./restart";
import { casTarget, parseStrategy, targetSelect, toEngineTarget, type VersionedTarget } from "./rollout-rows";
import { deploySettings, siteGate } from "./settings";
import { type ConditionSample, newlyWorse, type OwnWorkload, sampleCondition } from "./site-guard";
import { type FailureKind, type TargetState, transition } from "./target-state";

// The two jobs of a target. Apply: preflight (dry run, conflicts, refusals),
// then the real server-side apply of each object in order (and, for a rollback,
// pruning what the newer revision added). Check: the health gate, until the
// workloads are ready, fail, or time out. Both write through the job's claim
// (fenced by its epoch) and compare-and-set on the target's version, so a job
// that was taken over, or a target an operator cancelled, is never overwritten.
// A job re-run after a crash repeats the apply: server-side apply of the same
// objects changes nothing the second time.

/** Unreachable this many times in a row although the collector saw the cluster: give up. */
const MAX_UNREACHABLE_ATTEMPTS = 5;

interface TargetDetail {
  preflight?: ObjectPreview[];
  applied?: string[];
  pruned?: string[];
  restart?: { stamp: string; workloads: RestartedWorkload[]; missing: string[] };
  health?: { label: string; health: ObjectHealth }[];
  /** what the collector saw on the cluster at the apply (nodes, other workloads) */
  siteSample?: ConditionSample;
}

const loadSelect = {
  ...targetSelect,
  siteSlug: true,
  clusterName: true,
  appliedAt: true,
  detail: true,
  rollout: {
    select: {
      id: true,
      kind: true,
      state: true,
      revisionId: true,
      fromRevisionId: true,
      rollbackOfId: true,
      restartSpec: true,
      strategy: true,
      force: true,
      deploymentId: true,
      deployment: { select: { name: true } },
    },
  },
} as const;

async function load(targetId: string) {
  const row = await db().rolloutTarget.findUnique({ where: { id: targetId }, select: loadSelect });
  if (!row) return null;
  return { row, target: toEngineTarget(row), detail: JSON.parse(row.detail) as TargetDetail };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof load>>>;

/** Moves the target (fenced + compare-and-set); returns the new version, or null when it lost. */
class TargetWriter {
  constructor(
    private readonly ctx: JobContext,
    private current: VersionedTarget,
    private detail: TargetDetail,
  ) {}

  get target(): VersionedTarget {
    return this.current;
  }

  async move(
    to: TargetState,
    reason: string,
    patch: {
      failure?: FailureKind;
      detail?: Partial<TargetDetail>;
      extra?: Record<string, unknown>;
      fields?: Partial<VersionedTarget>;
    } = {},
    also?: (tx: Tx) => Promise<void>,
  ): Promise<boolean> {
    const now = Date.now();
    const next = {
      ...transition(this.current, to, reason, now, patch.failure ?? null),
      ...(patch.fields ?? {}),
    };
    const detail = { ...this.detail, ...(patch.detail ?? {}) };
    const isWritten = await this.ctx.fenced(async (tx) => {
      const ok = await casTarget(tx, this.current.version, next, {
        detail: JSON.stringify(detail),
        ...(patch.extra ?? {}),
      });
      if (ok && also) await also(tx);
      return ok;
    });
    if (isWritten) {
      this.current = { ...next, version: this.current.version + 1 };
      this.detail = detail;
    }
    return isWritten;
  }
}

/** The collector's latest view of the cluster, minus what this rollout itself is changing. */
async function clusterSample(clusterId: string, ours: OwnWorkload[]): Promise<ConditionSample | undefined> {
  const status = await db().clusterStatus.findUnique({
    where: { clusterId },
    select: { summary: true, snapshot: true },
  });
  if (!status?.summary) return undefined;
  const summary = JSON.parse(status.summary) as ClusterSummary;
  const snapshot = status.snapshot ? (JSON.parse(status.snapshot) as ClusterSnapshot) : null;
  return sampleCondition(summary, snapshot?.workloadProblems ?? null, ours);
}

function ownWorkloads(objects: { kind: string; namespace?: string; name: string }[]): OwnWorkload[] {
  return objects.map((o) => ({ ...(o.namespace ? { namespace: o.namespace } : {}), name: o.name }));
}

async function upsertInstallation(
  tx: Tx,
  loaded: Loaded,
  data: { state: string; reason: string; appliedAt?: Date },
): Promise<void> {
  const r = loaded.row.rollout;
  if (r.kind === "restart") return;
  const key = { deploymentId_clusterId: { deploymentId: r.deploymentId, clusterId: loaded.row.clusterId } };
  await tx.deploymentInstallation.upsert({
    where: key,
    create: {
      deploymentId: r.deploymentId,
      clusterId: loaded.row.clusterId,
      revisionId: r.revisionId,
      rolloutId: r.id,
      state: data.state,
      reason: data.reason,
      appliedAt: data.appliedAt ?? new Date(),
      nextDriftCheckAt: null,
    },
    update: {
      state: data.state,
      reason: data.reason,
      ...(data.appliedAt
        ? { appliedAt: data.appliedAt, revisionId: r.revisionId, rolloutId: r.id, driftFields: "[]" }
        : {}),
    },
  });
}

function unreachableOutcome(writer: TargetWriter, err: Unreachable, phase: string): Promise<boolean> {
  const t = writer.target;
  if (t.attempts >= MAX_UNREACHABLE_ATTEMPTS) {
    return writer.move("failed", `no answer ${phase} after ${t.attempts} attempts: ${err.message}`, {
      failure: "timeout",
    });
  }
  return writer.move("waiting-site", `unreachable ${phase}: ${err.message}; applied when the site is back`);
}

export async function runApplyJob(
  job: ClaimedJob<{ targetId: string; ref: number }>,
  ctx: JobContext,
): Promise<void> {
  const loaded = await load(job.payload.targetId);
  if (!loaded) return;
  const { row, target } = loaded;
  // Only the attempt this job was made for; a re-run after a crash finds the target mid-apply.
  if (target.attempts !== job.payload.ref) return;
  if (target.state !== "preflight" && target.state !== "applying") return;
  const settings = deploySettings();
  const writer = new TargetWriter(ctx, target, loaded.detail);
  const release = await siteGate().acquire(row.siteId, ctx.signal);
  try {
    const client = await clientFor(row.clusterId);
    const timeoutMs = settings.requestTimeoutMs;
    const r = row.rollout;
    if (r.kind === "restart") {
      const spec = JSON.parse(r.restartSpec ?? "{}") as RestartSpec;
      // Stable across re-runs of this attempt: a retried job restarts nothing twice.
      const stamp = loaded.detail.restart?.stamp ?? job.createdAt.toISOString();
      if (
        target.state === "preflight" &&
        !(await writer.move("applying", "restarting workloads", {
          detail: { restart: { stamp, workloads: [], missing: [] } },
        }))
      )
        return;
      const result = await restartWorkloads(client, spec, stamp, timeoutMs);
      if (result.restarted.length === 0) {
        const restart = { stamp, workloads: result.restarted, missing: result.missing };
        if (result.missing.length > 0) {
          await writer.move("failed", `nothing restarted: ${result.missing.join(", ")} not found`, {
            failure: "rejected",
            detail: { restart },
          });
        } else {
          // A selector that matches nothing on this cluster (a farm's control center has no turbine software).
          await writer.move("rolling-out", "nothing matches here; nothing to restart", {
            detail: { restart },
          });
          await writer.move("ready", `nothing matches ${describeRestart(spec)} here; nothing to restart`, {
            fields: { lastCheckedAt: Date.now(), nextCheckAt: null },
          });
        }
        return;
      }
      const now = Date.now();
      await writer.move(
        "rolling-out",
        `restarted ${result.restarted.length} workloads; waiting for new pods`,
        {
          detail: {
            restart: { stamp, workloads: result.restarted, missing: result.missing },
            siteSample: await clusterSample(row.clusterId, ownWorkloads(result.restarted)),
          },
          fields: { nextCheckAt: now + settings.checkMs },
          extra: { appliedAt: new Date(now) },
        },
      );
      return;
    }
    if (!r.revisionId) return;
    const { objects } = await revisionForApply(r.revisionId);
    const ordered = [...objects].sort(
      (a, b) => applyOrder(a.apiVersion, a.kind) - applyOrder(b.apiVersion, b.kind),
    );
    const resources = await discover(
      client,
      ordered.map((o) => o.apiVersion),
      timeoutMs,
    );
    if (target.state === "preflight") {
      const newNamespaces = await namespacesToCreate(client, ordered, timeoutMs);
      const preflight: ObjectPreview[] = [];
      for (const o of ordered) {
        preflight.push(
          await previewObject(client, resources, o, {
            timeoutMs,
            force: r.force,
            deploymentName: r.deployment.name,
            newNamespaces,
          }),
        );
      }
      const verdict = previewVerdict(preflight);
      if (verdict.outcome === "conflict" || verdict.outcome === "error") {
        await writer.move("failed", verdict.message, {
          failure: verdict.outcome === "conflict" ? "conflict" : "rejected",
          detail: { preflight },
        });
        return;
      }
      const changed = preflight.filter((p) => p.outcome !== "unchanged").length;
      if (
        !(await writer.move("applying", `applying ${ordered.length} objects (${changed} change)`, {
          detail: { preflight },
        }))
      )
        return;
    }
    const applied: string[] = [];
    for (const o of ordered) {
      const failure = await applyObject(client, resources, o, {
        timeoutMs,
        force: r.force,
        deploymentName: r.deployment.name,
      });
      if (failure) {
        await writer.move("failed", failure.message, {
          failure: failure.kind === "conflict" ? "conflict" : "rejected",
          detail: { applied },
        });
        return;
      }
      applied.push(objectLabel(o));
    }
    const pruned: string[] = [];
    if (r.kind === "rollback" && r.fromRevisionId) {
      const newer = await revisionObjects(r.fromRevisionId);
      for (const ref of pruneSet(newer, objects)) {
        const outcome = await pruneObject(client, resources, ref, {
          timeoutMs,
          deploymentName: r.deployment.name,
        });
        if (outcome === "deleted") pruned.push(objectLabel(ref));
      }
    }
    const now = Date.now();
    const sample = await clusterSample(row.clusterId, ownWorkloads(objects));
    await writer.move(
      "rolling-out",
      `applied ${applied.length} objects${pruned.length ? `, pruned ${pruned.length}` : ""}; waiting for workloads`,
      {
        detail: { applied, pruned, siteSample: sample },
        fields: { nextCheckAt: now + settings.checkMs },
        extra: { appliedAt: new Date(now) },
      },
      (tx) =>
        upsertInstallation(tx, loaded, {
          state: "rolling-out",
          reason: "applied; waiting for workloads",
          appliedAt: new Date(now),
        }),
    );
  } catch (err) {
    if (err instanceof Unreachable) await unreachableOutcome(writer, err, "while applying");
    else if (err instanceof ClusterGone) await writer.move("failed", err.message, { failure: "error" });
    else throw err;
  } finally {
    release();
  }
}

function checkRefs(
  loaded: Loaded,
  objects: ManifestObject[],
): { apiVersion: string; kind: string; namespace?: string; name: string }[] {
  if (loaded.row.rollout.kind === "restart") {
    return (loaded.detail.restart?.workloads ?? []).map((w) => ({
      apiVersion: "apps/v1",
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
    }));
  }
  return objects.map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    name: o.name,
  }));
}

export async function runCheckJob(
  job: ClaimedJob<{ targetId: string; ref: number }>,
  ctx: JobContext,
): Promise<void> {
  const loaded = await load(job.payload.targetId);
  if (!loaded) return;
  const { row, target } = loaded;
  if (target.state !== "rolling-out" && target.state !== "ready") return;
  // A check made for an earlier due time: the target has moved on.
  if (target.nextCheckAt !== job.payload.ref) return;
  const settings = deploySettings();
  const strategy = parseStrategy(row.rollout.strategy);
  const writer = new TargetWriter(ctx, target, loaded.detail);
  const isSoakCheck = target.state === "ready";
  const release = await siteGate().acquire(row.siteId, ctx.signal);
  try {
    const client = await clientFor(row.clusterId);
    const objects = row.rollout.revisionId ? await revisionObjects(row.rollout.revisionId) : [];
    const refs = checkRefs(loaded, objects);
    const resources = await discover(
      client,
      refs.map((r) => r.apiVersion),
      settings.requestTimeoutMs,
    );
    const healths: { label: string; health: ObjectHealth }[] = [];
    for (const ref of refs) {
      healths.push({
        label: objectLabel(ref),
        health: await readHealth(client, resourceOf(resources, ref), ref, settings.requestTimeoutMs),
      });
    }
    const siteWorse = strategy.requireSiteHealthy
      ? newlyWorse(loaded.detail.siteSample, await clusterSample(row.clusterId, ownWorkloads(refs)))
      : null;
    const now = Date.now();
    const verdict = gate({
      objects: healths,
      appliedAt: row.appliedAt?.getTime() ?? now,
      timeoutMs: strategy.rolloutTimeoutSeconds * 1000,
      now,
      // The soak re-check cares about the workloads only: time has passed by design.
      siteWorse: isSoakCheck ? null : siteWorse,
    });
    if (isSoakCheck) {
      if (verdict.verdict === "failed") {
        await writer.move(
          "failed",
          `unhealthy during soak: ${verdict.reason}`,
          { failure: verdict.failure, detail: { health: healths } },
          (tx) => upsertInstallation(tx, loaded, { state: "failed", reason: verdict.reason }),
        );
      } else {
        await writer.move("ready", target.reason, {
          fields: { lastCheckedAt: now, nextCheckAt: null },
          detail: { health: healths },
        });
      }
      return;
    }
    if (verdict.verdict === "ready") {
      await writer.move(
        "ready",
        verdict.reason,
        { fields: { lastCheckedAt: now, nextCheckAt: null }, detail: { health: healths } },
        async (tx) => {
          await upsertInstallation(tx, loaded, { state: "ready", reason: verdict.reason });
          if (row.rollout.kind === "rollback" && row.rollout.rollbackOfId)
            await markRolledBack(tx, row.rollout.rollbackOfId, row.clusterId, now);
        },
      );
    } else if (verdict.verdict === "failed") {
      await writer.move(
        "failed",
        verdict.reason,
        { failure: verdict.failure, detail: { health: healths } },
        (tx) => upsertInstallation(tx, loaded, { state: "failed", reason: verdict.reason }),
      );
    } else {
      await writer.move("rolling-out", verdict.reason, {
        fields: { nextCheckAt: now + settings.checkMs, lastCheckedAt: now },
        detail: { health: healths },
      });
    }
  } catch (err) {
    if (err instanceof Unreachable) {
      if (isSoakCheck) {
        // Cannot verify now; the soak does not wait for a site that went away.
        await writer.move("ready", target.reason, {
          fields: { lastCheckedAt: Date.now(), nextCheckAt: null },
        });
      } else await unreachableOutcome(writer, err, "while rolling out");
    } else if (err instanceof ClusterGone) await writer.move("failed", err.message, { failure: "error" });
    else throw err;
  } finally {
    release();
  }
}

/** The rolled-back rollout's target for this cluster: now back on the older revision. */
async function markRolledBack(tx: Tx, rolloutId: string, clusterId: string, now: number): Promise<void> {
  const original = await tx.rolloutTarget.findUnique({
    where: { rolloutId_clusterId: { rolloutId, clusterId } },
    select: targetSelect,
  });
  if (!original) return;
  const t = toEngineTarget(original);
  if (t.state !== "ready" && t.state !== "failed") return;
  await casTarget(tx, t.version, transition(t, "rolled-back", "rolled back to the previous revision", now));
}
