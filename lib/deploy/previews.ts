import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/session";
import { db, transaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { ClaimedJob } from "@/lib/work/jobs";
import { enqueue } from "@/lib/work/jobs";
import type { JobContext } from "@/lib/work/runner";
import { wakeQueue } from "@/lib/work/runner";
import { ClusterGone, clientFor } from "./clients";
import { discover, namespacesToCreate, type ObjectPreview, previewObject, Unreachable } from "./cluster-ops";
import { findDeployment, revisionForApply } from "./deployments";
import { clusterFacts } from "./facts";
import { describeSelector, type TargetSelector, targetSelectorSchema } from "./selector";
import { deploySettings, QUEUES, siteGate } from "./settings";
import { resolveTargets } from "./targets";

// Preflight as an operation of its own: server-side apply with dryRun=All of a
// revision on every reachable target, persisted per target (what would change,
// field by field; conflicts naming the other manager; what the API refuses),
// so the operator sees "N unchanged · M will change · K conflicts · E errors"
// for 5,000 clusters without holding a request open.

export const createPreviewSchema = z
  .object({
    /** default: the latest revision */
    revision: z.number().int().min(1).optional(),
    targets: targetSelectorSchema,
    /** what taking ownership of conflicting fields would do */
    force: z.boolean().default(false),
  })
  .strict();

export type PreviewOutcome = "pending" | "unchanged" | "changed" | "conflict" | "error" | "unreachable";

export interface PreviewCounts {
  total: number;
  pending: number;
  unchanged: number;
  changed: number;
  conflict: number;
  error: number;
  unreachable: number;
}

function emptyCounts(total: number): PreviewCounts {
  return { total, pending: 0, unchanged: 0, changed: 0, conflict: 0, error: 0, unreachable: 0 };
}

export function previewSentence(c: PreviewCounts): string {
  const parts = [
    `${c.unchanged} unchanged`,
    `${c.changed} will change`,
    `${c.conflict} conflicts`,
    `${c.error} errors`,
  ];
  if (c.unreachable > 0) parts.push(`${c.unreachable} unreachable`);
  if (c.pending > 0) parts.push(`${c.pending} checking`);
  return parts.join(" · ");
}

export async function createPreview(
  deploymentIdOrName: string,
  input: z.output<typeof createPreviewSchema>,
  actor: Actor,
  now = Date.now(),
): Promise<{ id: string; total: number }> {
  const deployment = await findDeployment(deploymentIdOrName);
  const revision = await db().deploymentRevision.findFirst({
    where: { deploymentId: deployment.id, ...(input.revision ? { number: input.revision } : {}) },
    orderBy: { number: "desc" },
    select: { id: true, number: true },
  });
  if (!revision)
    throw new AppError(
      "not_found",
      input.revision ? `Revision ${input.revision} not found` : "The deployment has no revision",
    );
  const targets = await resolveTargets(input.targets as TargetSelector);
  if (targets.length === 0)
    throw new AppError("validation_failed", "No cluster matches these targets", {
      issues: [{ path: "targets", message: "matches no cluster" }],
    });
  const facts = await clusterFacts(
    targets.map((t) => t.clusterId),
    now,
  );
  const id = await transaction(async (tx) => {
    const preview = await tx.deploymentPreview.create({
      data: {
        deploymentId: deployment.id,
        revisionId: revision.id,
        selector: JSON.stringify(input.targets),
        selectorText: describeSelector(input.targets as TargetSelector),
        force: input.force,
        total: targets.length,
        createdById: actor.userId,
        createdByName: actor.username,
      },
      select: { id: true },
    });
    await tx.previewTarget.createMany({
      data: targets.map((t) => {
        const f = facts.get(t.clusterId);
        const isReachable = f?.reach === "fresh";
        return {
          previewId: preview.id,
          clusterId: t.clusterId,
          siteId: t.siteId,
          siteSlug: t.siteSlug,
          siteName: t.siteName,
          clusterName: t.clusterName,
          outcome: isReachable ? "pending" : "unreachable",
          message: isReachable ? "" : (f?.reachReason ?? "not contacted yet"),
          ...(isReachable ? {} : { checkedAt: new Date(now) }),
        };
      }),
    });
    for (const t of targets) {
      if (facts.get(t.clusterId)?.reach !== "fresh") continue;
      await enqueue(tx, {
        queue: QUEUES.preview,
        key: `${preview.id}:${t.clusterId}`,
        payload: { previewId: preview.id, clusterId: t.clusterId },
        maxAttempts: 3,
      });
    }
    return preview.id;
  });
  await finishIfDone(id);
  wakeQueue(QUEUES.preview);
  return { id, total: targets.length };
}

async function finishIfDone(previewId: string): Promise<void> {
  const pending = await db().previewTarget.count({ where: { previewId, outcome: "pending" } });
  if (pending === 0) {
    await db().deploymentPreview.updateMany({
      where: { id: previewId, state: "running" },
      data: { state: "done", finishedAt: new Date() },
    });
  }
}

/** The target's verdict from its objects: the worst outcome wins. */
export function previewVerdict(objects: ObjectPreview[]): { outcome: PreviewOutcome; message: string } {
  const conflict = objects.find((o) => o.outcome === "conflict");
  if (conflict) return { outcome: "conflict", message: conflict.message };
  const error = objects.find((o) => o.outcome === "error");
  if (error) return { outcome: "error", message: error.message };
  const changed = objects.filter((o) => o.outcome === "changed" || o.outcome === "created");
  if (changed.length > 0)
    return { outcome: "changed", message: `${changed.length} of ${objects.length} objects will change` };
  return { outcome: "unchanged", message: `${objects.length} objects unchanged` };
}

/** Runs one cluster's dry run for a preview (queue deploy.preview). */
export async function runPreviewJob(
  job: ClaimedJob<{ previewId: string; clusterId: string }>,
  ctx: JobContext,
): Promise<void> {
  const { previewId, clusterId } = job.payload;
  const row = await db().previewTarget.findUnique({
    where: { previewId_clusterId: { previewId, clusterId } },
    select: {
      outcome: true,
      siteId: true,
      preview: { select: { revisionId: true, force: true, deployment: { select: { name: true } } } },
    },
  });
  if (row?.outcome !== "pending") return;
  const settings = deploySettings();
  let outcome: PreviewOutcome;
  let message: string;
  let detail: ObjectPreview[] = [];
  const release = await siteGate().acquire(row.siteId, ctx.signal);
  try {
    const { objects } = await revisionForApply(row.preview.revisionId);
    const client = await clientFor(clusterId);
    const resources = await discover(
      client,
      objects.map((o) => o.apiVersion),
      settings.requestTimeoutMs,
    );
    const newNamespaces = await namespacesToCreate(client, objects, settings.requestTimeoutMs);
    for (const o of objects) {
      detail.push(
        await previewObject(client, resources, o, {
          timeoutMs: settings.requestTimeoutMs,
          force: row.preview.force,
          deploymentName: row.preview.deployment.name,
          newNamespaces,
        }),
      );
    }
    ({ outcome, message } = previewVerdict(detail));
  } catch (err) {
    if (err instanceof Unreachable) {
      outcome = "unreachable";
      message = err.message;
      detail = [];
    } else if (err instanceof ClusterGone) {
      outcome = "error";
      message = err.message;
    } else throw err;
  } finally {
    release();
  }
  await ctx.fenced(async (tx) => {
    await tx.previewTarget.update({
      where: { previewId_clusterId: { previewId, clusterId } },
      data: { outcome, message, detail: JSON.stringify(detail), checkedAt: new Date() },
    });
  });
  await finishIfDone(previewId);
}

export interface PreviewView {
  id: string;
  deploymentId: string;
  revisionNumber: number;
  selectorText: string;
  force: boolean;
  state: "running" | "done";
  createdAt: string;
  createdByName: string;
  counts: PreviewCounts;
  sentence: string;
}

export const previewTargetsQuerySchema = z.object({
  outcome: z.enum(["pending", "unchanged", "changed", "conflict", "error", "unreachable"]).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export async function getPreview(id: string): Promise<PreviewView> {
  const preview = await db().deploymentPreview.findUnique({
    where: { id },
    select: {
      id: true,
      deploymentId: true,
      revisionId: true,
      selectorText: true,
      force: true,
      state: true,
      total: true,
      createdAt: true,
      createdByName: true,
    },
  });
  if (!preview) throw new AppError("not_found", "Preview not found");
  const [revision, grouped] = await Promise.all([
    db().deploymentRevision.findUnique({ where: { id: preview.revisionId }, select: { number: true } }),
    db().previewTarget.groupBy({ by: ["outcome"], where: { previewId: id }, _count: { _all: true } }),
  ]);
  const counts = emptyCounts(preview.total);
  for (const g of grouped) {
    const key = g.outcome as keyof PreviewCounts;
    if (key in counts && key !== "total") counts[key] = g._count._all;
  }
  return {
    id: preview.id,
    deploymentId: preview.deploymentId,
    revisionNumber: revision?.number ?? 0,
    selectorText: preview.selectorText,
    force: preview.force,
    state: preview.state === "done" ? "done" : "running",
    createdAt: preview.createdAt.toISOString(),
    createdByName: preview.createdByName,
    counts,
    sentence: previewSentence(counts),
  };
}

export interface PreviewTargetView {
  clusterId: string;
  siteSlug: string;
  siteName: string;
  clusterName: string;
  outcome: PreviewOutcome;
  message: string;
  objects: ObjectPreview[];
  checkedAt: string | null;
}

/** One page of a preview's targets, worst outcomes first, keyset-paged by site and cluster. */
export async function previewTargets(
  id: string,
  q: z.output<typeof previewTargetsQuerySchema>,
): Promise<{ items: PreviewTargetView[]; nextCursor: string | null }> {
  const [afterSite, afterCluster] = q.cursor ? q.cursor.split("/") : [undefined, undefined];
  const rows = await db().previewTarget.findMany({
    where: {
      previewId: id,
      ...(q.outcome ? { outcome: q.outcome } : {}),
      ...(afterSite !== undefined
        ? {
            OR: [
              { siteSlug: { gt: afterSite } },
              { siteSlug: afterSite, clusterName: { gt: afterCluster ?? "" } },
            ],
          }
        : {}),
    },
    orderBy: [{ siteSlug: "asc" }, { clusterName: "asc" }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      clusterId: r.clusterId,
      siteSlug: r.siteSlug,
      siteName: r.siteName,
      clusterName: r.clusterName,
      outcome: r.outcome as PreviewOutcome,
      message: r.message,
      objects: JSON.parse(r.detail) as ObjectPreview[],
      checkedAt: r.checkedAt?.toISOString() ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? `${last.siteSlug}/${last.clusterName}` : null,
  };
}
