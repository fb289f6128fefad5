import "server-only";
import type { Tx } from "@/lib/db/client";
import type { EngineRollout, EngineTarget, WaveProgress } from "./engine";
import { type Strategy, strategySchema } from "./strategy";
import type { FailureKind, TargetState } from "./target-state";

// Rows ↔ the engine's plain values, and compare-and-set writes: every write of a
// target or rollout names the version it read, so the tick, the jobs and the
// operator's buttons never overwrite each other's newer state.

export const targetSelect = {
  id: true,
  clusterId: true,
  siteId: true,
  wave: true,
  ord: true,
  state: true,
  reason: true,
  since: true,
  failure: true,
  waitingSince: true,
  attempts: true,
  nextCheckAt: true,
  lastCheckedAt: true,
  version: true,
} as const;

export interface TargetRow {
  id: string;
  clusterId: string;
  siteId: string;
  wave: number;
  ord: number;
  state: string;
  reason: string;
  since: Date;
  failure: string | null;
  waitingSince: Date | null;
  attempts: number;
  nextCheckAt: Date | null;
  lastCheckedAt: Date | null;
  version: number;
}

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);
const date = (n: number | null): Date | null => (n === null ? null : new Date(n));

export type VersionedTarget = EngineTarget & { version: number };

export function toEngineTarget(row: TargetRow): VersionedTarget {
  return {
    id: row.id,
    clusterId: row.clusterId,
    siteId: row.siteId,
    wave: row.wave,
    ord: row.ord,
    state: row.state as TargetState,
    reason: row.reason,
    since: row.since.getTime(),
    failure: (row.failure as FailureKind | null) ?? null,
    waitingSince: ms(row.waitingSince),
    attempts: row.attempts,
    nextCheckAt: ms(row.nextCheckAt),
    lastCheckedAt: ms(row.lastCheckedAt),
    version: row.version,
  };
}

export function targetData(t: EngineTarget) {
  return {
    state: t.state,
    reason: t.reason.slice(0, 2000),
    since: new Date(t.since),
    failure: t.failure,
    waitingSince: date(t.waitingSince),
    attempts: t.attempts,
    nextCheckAt: date(t.nextCheckAt),
    lastCheckedAt: date(t.lastCheckedAt),
  };
}

/** Writes `next` only if the row is still at `version`; true when it was written. */
export async function casTarget(
  tx: Tx,
  version: number,
  next: EngineTarget,
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const { count } = await tx.rolloutTarget.updateMany({
    where: { id: next.id, version },
    data: { ...targetData(next), ...extra, version: { increment: 1 } },
  });
  return count === 1;
}

export const rolloutSelect = {
  id: true,
  deploymentId: true,
  kind: true,
  state: true,
  stateReason: true,
  currentWave: true,
  waves: true,
  strategy: true,
  version: true,
} as const;

export interface RolloutRow {
  id: string;
  state: string;
  stateReason: string;
  currentWave: number;
  waves: string;
  strategy: string;
  version: number;
}

export function parseStrategy(text: string): Strategy {
  return strategySchema.parse(JSON.parse(text));
}

export function toEngineRollout(row: RolloutRow): EngineRollout {
  return {
    state: row.state as EngineRollout["state"],
    stateReason: row.stateReason,
    currentWave: row.currentWave,
    waves: JSON.parse(row.waves) as WaveProgress[],
    strategy: parseStrategy(row.strategy),
  };
}

/** Writes a rollout change only if it is still at `version`. */
export async function casRollout(
  tx: Tx,
  id: string,
  version: number,
  before: EngineRollout,
  next: EngineRollout,
  now: number,
): Promise<boolean> {
  const isFinished = next.state === "completed" || next.state === "aborted" || next.state === "rolled-back";
  const { count } = await tx.rollout.updateMany({
    where: { id, version },
    data: {
      state: next.state,
      stateReason: next.stateReason.slice(0, 2000),
      ...(next.state !== before.state ? { stateSince: new Date(now) } : {}),
      currentWave: next.currentWave,
      waves: JSON.stringify(next.waves),
      ...(isFinished && before.state !== next.state ? { finishedAt: new Date(now) } : {}),
      version: { increment: 1 },
    },
  });
  return count === 1;
}
