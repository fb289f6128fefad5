import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hasRole } from "@/lib/auth/roles";
import type { Actor } from "@/lib/auth/session";
import { db, type Tx, transaction } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";
import { wakeQueue } from "@/lib/work/runner";
import { deploymentNameSchema, findDeployment } from "./deployments";
import { abort, type EngineRollout, initialWaves, resume } from "./engine";
import { describeRestart, restartSpecSchema } from "./restart";
import {
  casRollout,
  casTarget,
  rolloutSelect,
  targetSelect,
  toEngineRollout,
  toEngineTarget,
} from "./rollout-rows";
import { describeSelector, type TargetSelector, targetSelectorSchema } from "./selector";
import { QUEUES } from "./settings";
import { describeStrategy, type Strategy, strategySchema } from "./strategy";
import { type ResolvedTarget, resolveTargets } from "./targets";
import { planWaves } from "./waves";

// What operators (and API tokens) do with rollouts: start one from a revision,
// restart workloads, pause, resume, abort, roll back. Every action checks the
// rollout's version (compare-and-set) so it never races the engine's tick.

export const startRolloutSchema = z
  .object({
    /** default: the latest revision */
    revision: z.number().int().min(1).optional(),
    targets: targetSelectorSchema,
    strategy: strategySchema.default(strategySchema.parse({})),
    /** take ownership of fields other managers own (server-side apply force=true) */
    force: z.boolean().default(false),
    /** with force: the deployment's name, typed by the operator */
    confirm: z.string().max(100).optional(),
  })
  .strict();

export const startRestartSchema = z
  .object({
    /** default: restart-<timestamp>-<random> */
    name: deploymentNameSchema.optional(),
    description: z.string().max(500).default(""),
    targets: targetSelectorSchema,
    workloads: restartSpecSchema,
    strategy: strategySchema.default(strategySchema.parse({ soakSeconds: 0 })),
  })
  .strict();

export const resumeSchema = z
  .object({
    /** queue the failed targets again (after fixing the cause); otherwise their failures are accepted */
    retryFailed: z.boolean().default(false),
  })
  .strict();

export const rollbackSchema = z
  .object({
    /** default: the revision before the one this rollout applied */
    toRevision: z.number().int().min(1).optional(),
  })
  .strict();

const ACTIVE = ["running", "paused"];

async function event(tx: Tx, rolloutId: string, message: string, actorName?: string | null): Promise<void> {
  await tx.rolloutEvent.create({
    data: { rolloutId, message: message.slice(0, 2000), actorName: actorName ?? null },
  });
}

async function createRollout(
  tx: Tx,
  input: {
    deploymentId: string;
    kind: "apply" | "rollback" | "restart";
    revisionId: string | null;
    fromRevisionId?: string | null;
    rollbackOfId?: string | null;
    selector: TargetSelector;
    strategy: Strategy;
    restartSpec?: unknown;
    force: boolean;
    targets: ResolvedTarget[];
    actor: Actor;
    message: string;
  },
  now: number,
): Promise<{ id: string; total: number; waves: { name: string; size: number }[] }> {
  const planned = planWaves(input.targets, input.strategy);
  const waves = initialWaves(planned);
  const waveOf = new Map<string, number>();
  planned.forEach((w, i) => {
    for (const id of w.clusterIds) waveOf.set(id, i);
  });
  const rollout = await tx.rollout.create({
    data: {
      deploymentId: input.deploymentId,
      kind: input.kind,
      revisionId: input.revisionId,
      fromRevisionId: input.fromRevisionId ?? null,
      rollbackOfId: input.rollbackOfId ?? null,
      selector: JSON.stringify(input.selector),
      selectorText: describeSelector(input.selector),
      strategy: JSON.stringify(input.strategy),
      restartSpec: input.restartSpec === undefined ? null : JSON.stringify(input.restartSpec),
      force: input.force,
      state: "running",
      stateReason: "starting",
      waves: JSON.stringify(waves),
      total: input.targets.length,
      createdById: input.actor.userId,
      createdByName: input.actor.username,
    },
    select: { id: true },
  });
  const since = new Date(now);
  // Rollout order: by wave, then site and cluster (targets come ordered).
  const ordered = [...input.targets].sort(
    (a, b) => (waveOf.get(a.clusterId) ?? 0) - (waveOf.get(b.clusterId) ?? 0),
  );
  const rows = ordered.map((t, ord) => ({
    rolloutId: rollout.id,
    clusterId: t.clusterId,
    siteId: t.siteId,
    siteSlug: t.siteSlug,
    siteName: t.siteName,
    clusterName: t.clusterName,
    wave: waveOf.get(t.clusterId) ?? 0,
    ord,
    state: "queued",
    reason:
      waveOf.get(t.clusterId) === 0 ? "queued" : `queued for wave ${(waveOf.get(t.clusterId) ?? 0) + 1}`,
    since,
  }));
  for (let i = 0; i < rows.length; i += 1000)
    await tx.rolloutTarget.createMany({ data: rows.slice(i, i + 1000) });
  await event(tx, rollout.id, `${input.message}; ${describeStrategy(input.strategy)}`, input.actor.username);
  await tx.deployment.update({ where: { id: input.deploymentId }, data: { updatedAt: since } });
  return { id: rollout.id, total: rows.length, waves: waves.map((w) => ({ name: w.name, size: w.size })) };
}

async function assertNoActiveRollout(deploymentId: string): Promise<void> {
  const active = await db().rollout.findFirst({
    where: { deploymentId, state: { in: ACTIVE } },
    select: { id: true, state: true },
  });
  if (active) {
    throw new AppError(
      "conflict",
      `A rollout of this deployment is ${active.state} (${active.id}); finish, abort or roll it back first`,
    );
  }
}

/** Two starts racing (two CI runs): the database's partial unique index lets one win; the other hears why. */
async function oneActive<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err, "Rollout_one_active_key", ["deploymentId"]))
      throw new AppError(
        "conflict",
        "Another rollout of this deployment started a moment ago; finish, abort or roll it back first",
      );
    throw err;
  }
}

async function targetsOrThrow(selector: TargetSelector): Promise<ResolvedTarget[]> {
  const targets = await resolveTargets(selector);
  if (targets.length === 0)
    throw new AppError("validation_failed", "No cluster matches these targets", {
      issues: [{ path: "targets", message: "matches no cluster" }],
    });
  return targets;
}

export async function startRollout(
  deploymentIdOrName: string,
  input: z.output<typeof startRolloutSchema>,
  actor: Actor,
  now = Date.now(),
): Promise<{ id: string; total: number; revision: number; waves: { name: string; size: number }[] }> {
  const deployment = await findDeployment(deploymentIdOrName);
  if (deployment.kind !== "manifest")
    throw new AppError("bad_request", "A restart cannot be rolled out again; start a new restart");
  if (input.force && input.confirm !== deployment.name) {
    throw new AppError("validation_failed", "Taking ownership of fields needs a typed confirmation", {
      issues: [
        {
          path: "confirm",
          message: `type the deployment's name (${deployment.name}) to take ownership of conflicting fields`,
        },
      ],
    });
  }
  const revision = await db().deploymentRevision.findFirst({
    where: { deploymentId: deployment.id, ...(input.revision ? { number: input.revision } : {}) },
    orderBy: { number: "desc" },
    select: { id: true, number: true, requiredRole: true },
  });
  if (!revision)
    throw new AppError(
      "not_found",
      input.revision ? `Revision ${input.revision} not found` : "The deployment has no revision",
    );
  if (revision.requiredRole === "admin" && !hasRole(actor.role, "admin"))
    throw new AppError(
      "forbidden",
      "This revision has cluster-scoped or RBAC objects: rolling it out needs the admin role",
    );
  await assertNoActiveRollout(deployment.id);
  const targets = await targetsOrThrow(input.targets as TargetSelector);
  const created = await oneActive(() =>
    transaction((tx) =>
      createRollout(
        tx,
        {
          deploymentId: deployment.id,
          kind: "apply",
          revisionId: revision.id,
          selector: input.targets as TargetSelector,
          strategy: input.strategy,
          force: input.force,
          targets,
          actor,
          message: `revision ${revision.number} to ${targets.length} clusters started by ${actor.username}${input.force ? " (taking ownership of conflicting fields)" : ""}`,
        },
        now,
      ),
    ),
  );
  wakeQueue(QUEUES.apply);
  return { ...created, revision: revision.number };
}

function restartName(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, "").slice(0, 13).toLowerCase();
  return `restart-${stamp}-${randomBytes(2).toString("hex")}`;
}

export async function startRestart(
  input: z.output<typeof startRestartSchema>,
  actor: Actor,
  now = Date.now(),
): Promise<{
  deploymentId: string;
  name: string;
  id: string;
  total: number;
  waves: { name: string; size: number }[];
}> {
  const targets = await targetsOrThrow(input.targets as TargetSelector);
  const name = input.name ?? restartName(now);
  if (await db().deployment.findUnique({ where: { name }, select: { id: true } }))
    throw new AppError("conflict", `A deployment named "${name}" exists`);
  return transaction(async (tx) => {
    const deployment = await tx.deployment.create({
      data: {
        name,
        kind: "restart",
        description: input.description || `Restart ${describeRestart(input.workloads)}`,
        createdById: actor.userId,
        createdByName: actor.username,
      },
      select: { id: true },
    });
    const created = await createRollout(
      tx,
      {
        deploymentId: deployment.id,
        kind: "restart",
        revisionId: null,
        selector: input.targets as TargetSelector,
        strategy: input.strategy,
        restartSpec: input.workloads,
        force: false,
        targets,
        actor,
        message: `restart of ${describeRestart(input.workloads)} on ${targets.length} clusters started by ${actor.username}`,
      },
      now,
    );
    return { deploymentId: deployment.id, name, ...created };
  }).then((r) => {
    wakeQueue(QUEUES.apply);
    return r;
  });
}

async function loadForAction(rolloutId: string) {
  const row = await db().rollout.findUnique({
    where: { id: rolloutId },
    select: { ...rolloutSelect, revisionId: true },
  });
  if (!row) throw new AppError("not_found", "Rollout not found");
  return row;
}

/** Retries an action a few times when the tick wrote the rollout in between (compare-and-set lost). */
async function withRetry<T>(fn: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 5; i++) {
    const result = await fn();
    if (result !== null) return result;
  }
  throw new AppError("conflict", "The rollout kept changing; try again");
}

export async function pauseRollout(
  rolloutId: string,
  actor: Actor,
  now = Date.now(),
): Promise<EngineRollout> {
  return withRetry(async () => {
    const row = await loadForAction(rolloutId);
    const before = toEngineRollout(row);
    if (before.state !== "running")
      throw new AppError("conflict", `The rollout is ${before.state}, not running`);
    const next: EngineRollout = { ...before, state: "paused", stateReason: `paused by ${actor.username}` };
    return transaction(async (tx) => {
      if (!(await casRollout(tx, rolloutId, row.version, before, next, now))) return null;
      await event(tx, rolloutId, `paused by ${actor.username}`, actor.username);
      return next;
    });
  });
}

export async function resumeRollout(
  rolloutId: string,
  input: z.output<typeof resumeSchema>,
  actor: Actor,
  now = Date.now(),
): Promise<EngineRollout> {
  return withRetry(async () => {
    const row = await loadForAction(rolloutId);
    const before = toEngineRollout(row);
    if (before.state !== "paused")
      throw new AppError("conflict", `The rollout is ${before.state}, not paused`);
    const targets = (await db().rolloutTarget.findMany({ where: { rolloutId }, select: targetSelect })).map(
      toEngineTarget,
    );
    const reason = `resumed by ${actor.username}${input.retryFailed ? ", retrying failed targets" : ""}`;
    const result = resume(before, targets, { retryFailed: input.retryFailed, reason }, now);
    const versions = new Map(targets.map((t) => [t.id, t.version]));
    return transaction(async (tx) => {
      if (!(await casRollout(tx, rolloutId, row.version, before, result.rollout, now))) return null;
      for (const t of result.targets) {
        if (!(await casTarget(tx, versions.get(t.id) ?? -1, t)))
          throw new AppError("conflict", "A target changed; try again");
      }
      await event(tx, rolloutId, reason, actor.username);
      return result.rollout;
    });
  });
}

export async function abortRollout(
  rolloutId: string,
  actor: Actor,
  now = Date.now(),
): Promise<EngineRollout> {
  return withRetry(async () => {
    const row = await loadForAction(rolloutId);
    const before = toEngineRollout(row);
    if (!ACTIVE.includes(before.state))
      throw new AppError("conflict", `The rollout is ${before.state}; nothing to abort`);
    const targets = (await db().rolloutTarget.findMany({ where: { rolloutId }, select: targetSelect })).map(
      toEngineTarget,
    );
    const result = abort(before, targets, `aborted by ${actor.username}`, now);
    const versions = new Map(targets.map((t) => [t.id, t.version]));
    return transaction(async (tx) => {
      if (!(await casRollout(tx, rolloutId, row.version, before, result.rollout, now))) return null;
      for (const t of result.targets) {
        // A job may have moved a target meanwhile; that target then finishes as the job says.
        await casTarget(tx, versions.get(t.id) ?? -1, t);
      }
      await event(tx, rolloutId, `aborted by ${actor.username}`, actor.username);
      return result.rollout;
    });
  });
}

/**
 * Re-applies the previous revision to every cluster this rollout touched, through the same
 * waves, pruning the objects only the newer revision added. The rolled-back rollout stops.
 */
export async function rollbackRollout(
  rolloutId: string,
  input: z.output<typeof rollbackSchema>,
  actor: Actor,
  now = Date.now(),
): Promise<{ id: string; total: number; revision: number }> {
  const original = await db().rollout.findUnique({
    where: { id: rolloutId },
    select: { ...rolloutSelect, revisionId: true, selector: true, deploymentId: true },
  });
  if (!original) throw new AppError("not_found", "Rollout not found");
  if (original.kind === "restart" || !original.revisionId)
    throw new AppError("bad_request", "A restart has nothing to roll back to");
  if (original.state === "rolled-back")
    throw new AppError("conflict", "This rollout was rolled back already");
  const current = await db().deploymentRevision.findUnique({
    where: { id: original.revisionId },
    select: { number: true },
  });
  const toNumber = input.toRevision ?? (current?.number ?? 1) - 1;
  if (toNumber < 1) throw new AppError("conflict", "There is no earlier revision to roll back to");
  const target = await db().deploymentRevision.findUnique({
    where: { deploymentId_number: { deploymentId: original.deploymentId, number: toNumber } },
    select: { id: true, number: true, requiredRole: true },
  });
  if (!target) throw new AppError("not_found", `Revision ${toNumber} not found`);
  if (target.requiredRole === "admin" && !hasRole(actor.role, "admin"))
    throw new AppError(
      "forbidden",
      "That revision has cluster-scoped or RBAC objects: rolling back to it needs the admin role",
    );
  if (ACTIVE.includes(original.state)) await abortRollout(rolloutId, actor, now);
  // Every cluster an apply was tried on (what never started has nothing to undo).
  const touched = await db().rolloutTarget.findMany({
    where: { rolloutId, attempts: { gt: 0 } },
    select: { clusterId: true },
  });
  const ids = new Set(touched.map((t) => t.clusterId));
  const all = await resolveTargets({ clusters: [...ids] });
  if (all.length === 0)
    throw new AppError("conflict", "The rollout applied nothing yet; there is nothing to roll back");
  const strategy = JSON.parse(original.strategy) as Strategy;
  const created = await oneActive(() =>
    transaction(async (tx) => {
      const made = await createRollout(
        tx,
        {
          deploymentId: original.deploymentId,
          kind: "rollback",
          revisionId: target.id,
          fromRevisionId: original.revisionId,
          rollbackOfId: original.id,
          selector: { clusters: [...ids] },
          strategy: strategySchema.parse(strategy),
          force: false,
          targets: all,
          actor,
          message: `rollback to revision ${target.number} of ${all.length} clusters started by ${actor.username}`,
        },
        now,
      );
      await tx.rollout.update({
        where: { id: original.id },
        data: {
          state: "rolled-back",
          stateReason: `rolled back to revision ${target.number} by ${actor.username}`,
          stateSince: new Date(now),
          finishedAt: new Date(now),
          version: { increment: 1 },
        },
      });
      await event(
        tx,
        original.id,
        `rolled back to revision ${target.number} by ${actor.username} (rollout ${made.id})`,
        actor.username,
      );
      return made;
    }),
  );
  wakeQueue(QUEUES.apply);
  return { id: created.id, total: created.total, revision: target.number };
}
