import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

// Instances are written in multi-row upserts (ON CONFLICT on rule + subject,
// which SQLite and PostgreSQL both speak): a storm where every node of a large
// fleet crosses its level at once is a few statements, not one per node.

export interface InstanceWrite {
  /** the row's id when it exists; a new one is generated otherwise */
  id: string | null;
  ruleId: string;
  subject: string;
  siteId: string;
  fingerprint: string;
  clusterId: string | null;
  node: string | null;
  phase: string;
  severity: string | null;
  state: string;
  value: number | null;
  valueAt: Date | null;
  thresholdCelsius: number | null;
  thresholdSource: string | null;
  suppressed: string | null;
  mutedBy: string | null;
  skewMs: number | null;
  firingLateMs: number | null;
  activeSince: Date | null;
  firingSince: Date | null;
  lastEvaluatedAt: Date;
}

/** Rows per statement: 22 parameters each, far under either dialect's limit. */
const CHUNK = 200;

/** Upserts the rows; returns the id of every row by `${ruleId}|${subject}`. */
export async function upsertInstances(
  tx: Tx,
  rows: readonly InstanceWrite[],
  now = new Date(),
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const values = chunk.map((r) => {
      const id = r.id ?? randomUUID();
      ids.set(`${r.ruleId}|${r.subject}`, id);
      return Prisma.sql`(${id}, ${r.ruleId}, ${r.subject}, ${r.siteId}, ${r.clusterId}, ${r.node}, ${r.fingerprint}, ${r.phase}, ${r.severity}, ${r.state}, ${r.value}, ${r.valueAt}, ${r.thresholdCelsius}, ${r.thresholdSource}, ${r.suppressed}, ${r.mutedBy}, ${r.skewMs}, ${r.firingLateMs}, ${r.activeSince}, ${r.firingSince}, ${r.lastEvaluatedAt}, ${now})`;
    });
    await tx.$executeRaw`
      INSERT INTO "AlertInstance" ("id", "ruleId", "subject", "siteId", "clusterId", "node", "fingerprint", "phase", "severity", "state", "value", "valueAt", "thresholdCelsius", "thresholdSource", "suppressed", "mutedBy", "skewMs", "firingLateMs", "activeSince", "firingSince", "lastEvaluatedAt", "updatedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("ruleId", "subject") DO UPDATE SET
        "clusterId" = excluded."clusterId",
        "node" = excluded."node",
        "phase" = excluded."phase",
        "severity" = excluded."severity",
        "state" = excluded."state",
        "value" = excluded."value",
        "valueAt" = excluded."valueAt",
        "thresholdCelsius" = excluded."thresholdCelsius",
        "thresholdSource" = excluded."thresholdSource",
        "suppressed" = excluded."suppressed",
        "mutedBy" = excluded."mutedBy",
        "skewMs" = excluded."skewMs",
        "firingLateMs" = excluded."firingLateMs",
        "activeSince" = excluded."activeSince",
        "firingSince" = excluded."firingSince",
        "lastEvaluatedAt" = excluded."lastEvaluatedAt",
        "updatedAt" = excluded."updatedAt",
        "ackByName" = CASE WHEN excluded."phase" IN ('normal', 'pending') THEN NULL ELSE "AlertInstance"."ackByName" END,
        "ackAt" = CASE WHEN excluded."phase" IN ('normal', 'pending') THEN NULL ELSE "AlertInstance"."ackAt" END,
        "ackComment" = CASE WHEN excluded."phase" IN ('normal', 'pending') THEN NULL ELSE "AlertInstance"."ackComment" END`;
  }
  return ids;
}

/** Group memory (what each rule × site group last told its receivers), in multi-row upserts. */
export async function upsertGroups(
  tx: Tx,
  rows: readonly { groupKey: string; ruleId: string; siteId: string; state: string }[],
  now = new Date(),
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows
      .slice(i, i + CHUNK)
      .map((g) => Prisma.sql`(${g.groupKey}, ${g.ruleId}, ${g.siteId}, ${g.state}, ${now})`);
    await tx.$executeRaw`
      INSERT INTO "AlertGroup" ("groupKey", "ruleId", "siteId", "state", "updatedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("groupKey") DO UPDATE SET "state" = excluded."state", "updatedAt" = excluded."updatedAt"`;
  }
}

export interface EventWrite {
  instanceId: string;
  ruleId: string;
  siteId: string;
  kind: string;
  fromPhase: string;
  toPhase: string;
  at: Date;
  value: number | null;
  level: number | null;
  severity: string | null;
  seq: number;
  reportedLateMs: number;
  mutedBy: string | null;
}

/** History rows in multi-row inserts (Prisma's createMany inserts row by row on SQLite). */
export async function insertEvents(tx: Tx, rows: readonly EventWrite[], now = new Date()): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows
      .slice(i, i + CHUNK)
      .map(
        (e) =>
          Prisma.sql`(${randomUUID()}, ${e.instanceId}, ${e.ruleId}, ${e.siteId}, ${e.kind}, ${e.fromPhase}, ${e.toPhase}, ${e.at}, ${now}, ${e.value}, ${e.level}, ${e.severity}, ${e.seq}, ${e.reportedLateMs}, ${e.mutedBy})`,
      );
    await tx.$executeRaw`
      INSERT INTO "AlertEvent" ("id", "instanceId", "ruleId", "siteId", "kind", "fromPhase", "toPhase", "at", "recordedAt", "value", "level", "severity", "seq", "reportedLateMs", "mutedBy")
      VALUES ${Prisma.join(values)}`;
  }
}
