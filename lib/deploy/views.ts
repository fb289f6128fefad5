import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { containsText } from "@/lib/db/dialect";
import { AppError } from "@/lib/errors";
import { findDeployment, listRevisions, type RevisionSummary } from "./deployments";
import type { WaveProgress } from "./engine";
import { describeRestart, type RestartSpec } from "./restart";
import { describeStrategy, type Strategy, strategySchema } from "./strategy";
import { type ProgressBucket, progressBucket, TARGET_STATES, type TargetState } from "./target-state";

// What the pages and the API read: deployments with their latest rollout and
// its progress, one rollout with its waves and events, its targets paged and
// filtered, and what is deployed on a site. Counts come from one GROUP BY each,
// so a rollout of 5,000 targets reads as fast as one of five.

export type Progress = Record<ProgressBucket, number> & { total: number };

function emptyProgress(total = 0): Progress {
  return { total, done: 0, inFlight: 0, waiting: 0, failed: 0, other: 0 };
}

export interface RolloutSummary {
  id: string;
  deploymentId: string;
  kind: "apply" | "rollback" | "restart";
  state: "running" | "paused" | "completed" | "aborted" | "rolled-back";
  stateReason: string;
  stateSince: string;
  revision: number | null;
  selectorText: string;
  force: boolean;
  createdByName: string;
  createdAt: string;
  finishedAt: string | null;
  progress: Progress;
}

const rolloutSummarySelect = {
  id: true,
  deploymentId: true,
  kind: true,
  state: true,
  stateReason: true,
  stateSince: true,
  revisionId: true,
  selectorText: true,
  force: true,
  createdByName: true,
  createdAt: true,
  finishedAt: true,
  total: true,
} as const;

type SummaryRow = {
  id: string;
  deploymentId: string;
  kind: string;
  state: string;
  stateReason: string;
  stateSince: Date;
  revisionId: string | null;
  selectorText: string;
  force: boolean;
  createdByName: string;
  createdAt: Date;
  finishedAt: Date | null;
  total: number;
};

async function summaries(rows: SummaryRow[]): Promise<RolloutSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [counts, revisions] = await Promise.all([
    db().rolloutTarget.groupBy({
      by: ["rolloutId", "state"],
      where: { rolloutId: { in: ids } },
      _count: { _all: true },
    }),
    db().deploymentRevision.findMany({
      where: { id: { in: rows.map((r) => r.revisionId).filter((x): x is string => x !== null) } },
      select: { id: true, number: true },
    }),
  ]);
  const number = new Map(revisions.map((r) => [r.id, r.number]));
  const progress = new Map<string, Progress>();
  for (const r of rows) progress.set(r.id, emptyProgress(r.total));
  for (const c of counts) {
    const p = progress.get(c.rolloutId);
    if (p) p[progressBucket(c.state as TargetState)] += c._count._all;
  }
  return rows.map((r) => ({
    id: r.id,
    deploymentId: r.deploymentId,
    kind: r.kind as RolloutSummary["kind"],
    state: r.state as RolloutSummary["state"],
    stateReason: r.stateReason,
    stateSince: r.stateSince.toISOString(),
    revision: r.revisionId ? (number.get(r.revisionId) ?? null) : null,
    selectorText: r.selectorText,
    force: r.force,
    createdByName: r.createdByName,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    progress: progress.get(r.id) ?? emptyProgress(r.total),
  }));
}

export const deploymentListQuerySchema = z.object({
  q: z.string().max(100).optional(),
  kind: z.enum(["manifest", "restart"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** the updatedAt and id of the last item of the previous page */
  cursor: z.string().max(100).optional(),
});

export interface DeploymentListItem {
  id: string;
  name: string;
  kind: "manifest" | "restart";
  description: string;
  createdByName: string;
  updatedAt: string;
  latestRevision: number | null;
  rollout: RolloutSummary | null;
}

function parseCursor(cursor: string | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const [ms, id] = cursor.split("_");
  const at = new Date(Number(ms));
  if (!id || Number.isNaN(at.getTime())) throw new AppError("bad_request", "Invalid cursor");
  return { at, id };
}

/** Newest activity first, keyset-paged. */
export async function listDeployments(
  q: z.output<typeof deploymentListQuerySchema>,
): Promise<{ items: DeploymentListItem[]; nextCursor: string | null }> {
  const after = parseCursor(q.cursor);
  const rows = await db().deployment.findMany({
    where: {
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.q ? { OR: [{ name: containsText(q.q) }, { description: containsText(q.q) }] } : {}),
      ...(after
        ? { OR: [{ updatedAt: { lt: after.at } }, { updatedAt: after.at, id: { lt: after.id } }] }
        : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: q.limit + 1,
    select: { id: true, name: true, kind: true, description: true, createdByName: true, updatedAt: true },
  });
  const page = rows.slice(0, q.limit);
  const ids = page.map((d) => d.id);
  const [latestRevs, rollouts] = await Promise.all([
    db().deploymentRevision.groupBy({
      by: ["deploymentId"],
      where: { deploymentId: { in: ids } },
      _max: { number: true },
    }),
    // The latest rollout of each: few per deployment, newest first.
    db().rollout.findMany({
      where: { deploymentId: { in: ids } },
      orderBy: { createdAt: "desc" },
      select: rolloutSummarySelect,
      take: Math.max(200, ids.length * 5),
    }),
  ]);
  const latestRollout = new Map<string, SummaryRow>();
  for (const r of rollouts) if (!latestRollout.has(r.deploymentId)) latestRollout.set(r.deploymentId, r);
  const sums = new Map((await summaries([...latestRollout.values()])).map((s) => [s.deploymentId, s]));
  const latest = new Map(latestRevs.map((r) => [r.deploymentId, r._max.number ?? null]));
  const last = page.at(-1);
  return {
    items: page.map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind === "restart" ? "restart" : "manifest",
      description: d.description,
      createdByName: d.createdByName,
      updatedAt: d.updatedAt.toISOString(),
      latestRevision: latest.get(d.id) ?? null,
      rollout: sums.get(d.id) ?? null,
    })),
    nextCursor: rows.length > q.limit && last ? `${last.updatedAt.getTime()}_${last.id}` : null,
  };
}

export interface DeploymentDetail {
  deployment: {
    id: string;
    name: string;
    kind: "manifest" | "restart";
    description: string;
    createdAt: string;
    createdByName: string;
  };
  revisions: RevisionSummary[];
  rollouts: RolloutSummary[];
  installations: { total: number; byState: Record<string, number> };
}

export async function deploymentDetail(idOrName: string): Promise<DeploymentDetail> {
  const d = await findDeployment(idOrName);
  const [revisions, rolloutRows, installs] = await Promise.all([
    listRevisions(d.id),
    db().rollout.findMany({
      where: { deploymentId: d.id },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: rolloutSummarySelect,
    }),
    db().deploymentInstallation.groupBy({
      by: ["state"],
      where: { deploymentId: d.id },
      _count: { _all: true },
    }),
  ]);
  const byState: Record<string, number> = {};
  for (const i of installs) byState[i.state] = i._count._all;
  return {
    deployment: {
      id: d.id,
      name: d.name,
      kind: d.kind === "restart" ? "restart" : "manifest",
      description: d.description,
      createdAt: d.createdAt.toISOString(),
      createdByName: d.createdByName,
    },
    revisions,
    rollouts: await summaries(rolloutRows),
    installations: { total: Object.values(byState).reduce((a, b) => a + b, 0), byState },
  };
}

export interface WaveView extends WaveProgress {
  index: number;
  progress: Progress;
}

export interface RolloutDetail extends RolloutSummary {
  deploymentName: string;
  strategy: Strategy;
  strategyText: string;
  restart: string | null;
  currentWave: number;
  waves: WaveView[];
  fromRevision: number | null;
  rollbackOfId: string | null;
  events: { at: string; message: string; actorName: string | null }[];
  /** counts per state, for the filter */
  byState: Partial<Record<TargetState, number>>;
}

export async function rolloutDetail(id: string): Promise<RolloutDetail> {
  const row = await db().rollout.findUnique({
    where: { id },
    select: {
      ...rolloutSummarySelect,
      strategy: true,
      restartSpec: true,
      currentWave: true,
      waves: true,
      fromRevisionId: true,
      rollbackOfId: true,
      deployment: { select: { name: true } },
    },
  });
  if (!row) throw new AppError("not_found", "Rollout not found");
  const [[summary], grouped, events, from] = await Promise.all([
    summaries([row]),
    db().rolloutTarget.groupBy({ by: ["wave", "state"], where: { rolloutId: id }, _count: { _all: true } }),
    db().rolloutEvent.findMany({ where: { rolloutId: id }, orderBy: { at: "desc" }, take: 100 }),
    row.fromRevisionId
      ? db().deploymentRevision.findUnique({ where: { id: row.fromRevisionId }, select: { number: true } })
      : Promise.resolve(null),
  ]);
  const waves = (JSON.parse(row.waves) as WaveProgress[]).map((w, index) => ({
    ...w,
    index,
    progress: emptyProgress(w.size),
  }));
  const byState: Partial<Record<TargetState, number>> = {};
  for (const g of grouped) {
    const state = g.state as TargetState;
    byState[state] = (byState[state] ?? 0) + g._count._all;
    const wave = waves[g.wave];
    if (wave) wave.progress[progressBucket(state)] += g._count._all;
  }
  const strategy = strategySchema.parse(JSON.parse(row.strategy));
  return {
    ...(summary as RolloutSummary),
    deploymentName: row.deployment.name,
    strategy,
    strategyText: describeStrategy(strategy),
    restart: row.restartSpec ? describeRestart(JSON.parse(row.restartSpec) as RestartSpec) : null,
    currentWave: row.currentWave,
    waves,
    fromRevision: from?.number ?? null,
    rollbackOfId: row.rollbackOfId,
    events: events.map((e) => ({ at: e.at.toISOString(), message: e.message, actorName: e.actorName })),
    byState,
  };
}

export const rolloutTargetsQuerySchema = z.object({
  state: z.enum(TARGET_STATES).optional(),
  wave: z.coerce.number().int().min(0).max(10_000).optional(),
  /** site slug, site name or cluster name contains */
  q: z.string().max(100).optional(),
  /** the ord of the last item of the previous page */
  cursor: z.coerce.number().int().min(-1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export interface TargetView {
  id: string;
  clusterId: string;
  siteSlug: string;
  siteName: string;
  clusterName: string;
  wave: number;
  ord: number;
  state: TargetState;
  reason: string;
  since: string;
  failure: string | null;
  attempts: number;
  appliedAt: string | null;
  lastCheckedAt: string | null;
  waitingSince: string | null;
  /** what the last preflight found per object, workload health, restart stamps */
  detail: Record<string, unknown>;
}

export async function rolloutTargets(
  id: string,
  q: z.output<typeof rolloutTargetsQuerySchema>,
): Promise<{ items: TargetView[]; nextCursor: number | null; total: number }> {
  const exists = await db().rollout.findUnique({ where: { id }, select: { id: true } });
  if (!exists) throw new AppError("not_found", "Rollout not found");
  const where = {
    rolloutId: id,
    ...(q.state ? { state: q.state } : {}),
    ...(q.wave !== undefined ? { wave: q.wave } : {}),
    ...(q.q
      ? {
          OR: [
            { siteSlug: containsText(q.q) },
            { siteName: containsText(q.q) },
            { clusterName: containsText(q.q) },
          ],
        }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db().rolloutTarget.findMany({
      where: { ...where, ...(q.cursor !== undefined ? { ord: { gt: q.cursor } } : {}) },
      orderBy: { ord: "asc" },
      take: q.limit + 1,
    }),
    db().rolloutTarget.count({ where }),
  ]);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((t) => ({
      id: t.id,
      clusterId: t.clusterId,
      siteSlug: t.siteSlug,
      siteName: t.siteName,
      clusterName: t.clusterName,
      wave: t.wave,
      ord: t.ord,
      state: t.state as TargetState,
      reason: t.reason,
      since: t.since.toISOString(),
      failure: t.failure,
      attempts: t.attempts,
      appliedAt: t.appliedAt?.toISOString() ?? null,
      lastCheckedAt: t.lastCheckedAt?.toISOString() ?? null,
      waitingSince: t.waitingSince?.toISOString() ?? null,
      detail: JSON.parse(t.detail) as Record<string, unknown>,
    })),
    nextCursor: rows.length > q.limit ? (page.at(-1)?.ord ?? null) : null,
    total: Number(total),
  };
}

export interface SiteDeploymentRow {
  deploymentId: string;
  deploymentName: string;
  clusterId: string;
  clusterName: string;
  revision: number | null;
  state: string;
  reason: string;
  appliedAt: string;
  driftFields: number;
}

export interface SiteActiveTarget {
  rolloutId: string;
  deploymentName: string;
  kind: string;
  clusterName: string;
  state: TargetState;
  reason: string;
  since: string;
}

/** What is deployed at a site (per cluster), and what rollouts are doing there now. */
export async function siteDeployments(
  siteIdOrSlug: string,
): Promise<{ installed: SiteDeploymentRow[]; active: SiteActiveTarget[] }> {
  const site = await db().site.findFirst({
    where: { OR: [{ id: siteIdOrSlug }, { slug: siteIdOrSlug }] },
    select: { id: true, clusters: { select: { id: true, name: true } } },
  });
  if (!site) throw new AppError("not_found", "Site not found");
  const clusterName = new Map(site.clusters.map((c) => [c.id, c.name]));
  const [installs, active] = await Promise.all([
    db().deploymentInstallation.findMany({
      where: { clusterId: { in: [...clusterName.keys()] } },
      select: {
        deploymentId: true,
        clusterId: true,
        revisionId: true,
        state: true,
        reason: true,
        appliedAt: true,
        driftFields: true,
        deployment: { select: { name: true } },
      },
      orderBy: { appliedAt: "desc" },
    }),
    db().rolloutTarget.findMany({
      where: { siteId: site.id, rollout: { state: { in: ["running", "paused"] } } },
      select: {
        rolloutId: true,
        clusterName: true,
        state: true,
        reason: true,
        since: true,
        rollout: { select: { kind: true, deployment: { select: { name: true } } } },
      },
      orderBy: { since: "desc" },
      take: 100,
    }),
  ]);
  const revisions = await db().deploymentRevision.findMany({
    where: { id: { in: installs.map((i) => i.revisionId).filter((x): x is string => x !== null) } },
    select: { id: true, number: true },
  });
  const number = new Map(revisions.map((r) => [r.id, r.number]));
  return {
    installed: installs.map((i) => ({
      deploymentId: i.deploymentId,
      deploymentName: i.deployment.name,
      clusterId: i.clusterId,
      clusterName: clusterName.get(i.clusterId) ?? "",
      revision: i.revisionId ? (number.get(i.revisionId) ?? null) : null,
      state: i.state,
      reason: i.reason,
      appliedAt: i.appliedAt.toISOString(),
      driftFields: (JSON.parse(i.driftFields) as unknown[]).length,
    })),
    active: active.map((t) => ({
      rolloutId: t.rolloutId,
      deploymentName: t.rollout.deployment.name,
      kind: t.rollout.kind,
      clusterName: t.clusterName,
      state: t.state as TargetState,
      reason: t.reason,
      since: t.since.toISOString(),
    })),
  };
}
