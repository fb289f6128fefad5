import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { type RetentionPolicy, retentionCutoff } from "./policy";

// Deletes history past its retention, a bounded batch per statement so a large
// backlog never holds SQLite's write lock for long (the collector writes
// between batches). Idempotent: safe to run on any schedule, on any instance.

export const PRUNE_BATCH = 2_000;

export interface PruneOptions {
  now?: number;
  batchSize?: number;
  signal?: AbortSignal;
}

export interface PruneResult {
  contactEvents: number;
  auditEvents: number;
}

/**
 * Contact history older than the cut-off, except each cluster's newest event
 * (a site dark for longer than the retention keeps the row that says since
 * when) and intermittent runs that are still open or ended within it.
 */
async function pruneContactBatch(cutoff: Date, limit: number): Promise<number> {
  return db().$executeRaw(Prisma.sql`
    DELETE FROM "ContactEvent" WHERE "id" IN (
      SELECT e."id" FROM "ContactEvent" e
      WHERE e."at" < ${cutoff}
        AND (e."endAt" < ${cutoff} OR (e."endAt" IS NULL AND e."kind" <> 'intermittent'))
        AND EXISTS (
          SELECT 1 FROM "ContactEvent" n WHERE n."clusterId" = e."clusterId" AND n."at" > e."at"
        )
      LIMIT ${limit}
    )`);
}

async function pruneAuditBatch(cutoff: Date, limit: number): Promise<number> {
  return db().$executeRaw(Prisma.sql`
    DELETE FROM "AuditEvent" WHERE "id" IN (
      SELECT "id" FROM "AuditEvent" WHERE "at" < ${cutoff} LIMIT ${limit}
    )`);
}

async function drain(step: (limit: number) => Promise<number>, limit: number, signal?: AbortSignal) {
  let total = 0;
  while (!signal?.aborted) {
    const n = await step(limit);
    total += n;
    if (n < limit) break;
    // Let the collector's next batch in between.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return total;
}

/** One retention pass over contact history and the audit log. */
export async function pruneHistory(
  policy: RetentionPolicy,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const limit = options.batchSize ?? PRUNE_BATCH;
  const contactCutoff = retentionCutoff(policy.contactHistoryDays, now);
  const auditCutoff = retentionCutoff(policy.auditDays, now);
  const contactEvents = contactCutoff
    ? await drain((n) => pruneContactBatch(contactCutoff, n), limit, options.signal)
    : 0;
  const auditEvents = auditCutoff
    ? await drain((n) => pruneAuditBatch(auditCutoff, n), limit, options.signal)
    : 0;
  return { contactEvents, auditEvents };
}
