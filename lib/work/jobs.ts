import "server-only";
import { randomUUID } from "node:crypto";
import { type DbClient, db, type Tx, transaction } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { asDate, asInt } from "@/lib/db/rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { type BackoffPolicy, DEFAULT_JOB_BACKOFF, leaseExpiresAt, nextAttempt } from "./policy";

// Jobs and outbox entries in "WorkJob": enqueued idempotently by (queue, key)
// inside the caller's transaction, claimed with a lease (attempt + 1, epoch + 1),
// finished only by the claim that still holds the current epoch. A claim whose
// lease ran out (its worker died or hung) is taken over by the next claim.

export type JobState = "available" | "running" | "succeeded" | "failed" | "cancelled";

export interface EnqueueInput {
  queue: string;
  /** idempotency key: a second enqueue with the same (queue, key) is a no-op */
  key: string;
  /** JSON-serialisable; never secrets */
  payload?: unknown;
  runAt?: Date;
  maxAttempts?: number;
}

export interface ClaimedJob<P = unknown> {
  id: string;
  queue: string;
  key: string;
  payload: P;
  attempt: number;
  maxAttempts: number;
  epoch: number;
  claimedBy: string;
  leaseExpiresAt: Date;
  runAt: Date;
  createdAt: Date;
}

export class JobLost extends Error {
  constructor(readonly job: Pick<ClaimedJob, "id" | "queue" | "key" | "epoch">) {
    super(`job ${job.queue}/${job.key} is no longer claimed at epoch ${job.epoch}`);
    this.name = "JobLost";
  }
}

const MAX_ERROR_CHARS = 2_000;
const clip = (message: string) =>
  message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…` : message;

export async function enqueue(
  client: DbClient,
  input: EnqueueInput,
  { now = Date.now() }: { now?: number } = {},
): Promise<{ id: string; isNew: boolean }> {
  const id = randomUUID();
  const at = new Date(now);
  const runAt = input.runAt ?? at;
  const payload = JSON.stringify(input.payload ?? {});
  const maxAttempts = input.maxAttempts ?? 10;
  if (!(maxAttempts >= 1)) throw new RangeError("maxAttempts must be at least 1");
  const inserted = await client.$executeRaw`
    INSERT INTO "WorkJob" ("id", "queue", "key", "state", "payload", "runAt", "maxAttempts", "createdAt", "updatedAt")
    VALUES (${id}, ${input.queue}, ${input.key}, 'available', ${payload}, ${runAt}, ${maxAttempts}, ${at}, ${at})
    ON CONFLICT ("queue", "key") DO NOTHING`;
  if (inserted === 1) return { id, isNew: true };
  const existing = await client.workJob.findUniqueOrThrow({
    where: { queue_key: { queue: input.queue, key: input.key } },
    select: { id: true },
  });
  return { id: existing.id, isNew: false };
}

const CLAIM_COLUMNS = Prisma.sql`"id", "queue", "key", "payload", "attempt", "maxAttempts", "epoch", "claimedBy", "leaseExpiresAt", "runAt", "createdAt"`;

function toClaimed(row: Record<string, unknown>): ClaimedJob {
  return {
    id: String(row.id),
    queue: String(row.queue),
    key: String(row.key),
    payload: JSON.parse(String(row.payload)) as unknown,
    attempt: asInt(row.attempt),
    maxAttempts: asInt(row.maxAttempts),
    epoch: asInt(row.epoch),
    claimedBy: String(row.claimedBy),
    leaseExpiresAt: asDate(row.leaseExpiresAt),
    runAt: asDate(row.runAt),
    createdAt: asDate(row.createdAt),
  };
}

export interface ClaimOptions {
  limit: number;
  leaseMs: number;
  now?: number;
}

/**
 * Claims up to `limit` due jobs of a queue for `owner`: available ones whose
 * runAt has come, and running ones whose claim expired (a dead or stuck
 * worker's). Each gets attempt + 1 and a new epoch. Exclusive across processes.
 */
export async function claim(
  queue: string,
  owner: string,
  { limit, leaseMs, now = Date.now() }: ClaimOptions,
): Promise<ClaimedJob[]> {
  if (limit <= 0) return [];
  const at = new Date(now);
  const expires = new Date(leaseExpiresAt(now, leaseMs));
  // A claim that expired on its last attempt is not run again: it failed.
  await failExhausted(queue, at);
  const due = Prisma.sql`"queue" = ${queue} AND "attempt" < "maxAttempts" AND (
      ("state" = 'available' AND "runAt" <= ${at})
      OR ("state" = 'running' AND "leaseExpiresAt" <= ${at}))`;
  const set = Prisma.sql`"state" = 'running', "attempt" = "attempt" + 1, "epoch" = "epoch" + 1,
      "claimedBy" = ${owner}, "leaseExpiresAt" = ${expires}, "updatedAt" = ${at}`;
  const rows =
    dialect() === "postgresql"
      ? await db().$queryRaw<Record<string, unknown>[]>`
          WITH picked AS (
            SELECT "id" FROM "WorkJob" WHERE ${due}
            ORDER BY "runAt", "id" LIMIT ${limit}
            FOR UPDATE SKIP LOCKED)
          UPDATE "WorkJob" SET ${set}
          FROM picked WHERE "WorkJob"."id" = picked."id"
          RETURNING ${Prisma.join(
            [
              "id",
              "queue",
              "key",
              "payload",
              "attempt",
              "maxAttempts",
              "epoch",
              "claimedBy",
              "leaseExpiresAt",
              "runAt",
              "createdAt",
            ].map((c) => Prisma.raw(`"WorkJob"."${c}"`)),
          )}`
      : // SQLite has one writer at a time: the UPDATE … WHERE id IN (SELECT …) is atomic.
        await db().$queryRaw<Record<string, unknown>[]>`
          UPDATE "WorkJob" SET ${set}
          WHERE "id" IN (SELECT "id" FROM "WorkJob" WHERE ${due} ORDER BY "runAt", "id" LIMIT ${limit})
          RETURNING ${CLAIM_COLUMNS}`;
  return rows.map(toClaimed).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
}

async function failExhausted(queue: string, at: Date): Promise<void> {
  await db().$executeRaw`
    UPDATE "WorkJob" SET "state" = 'failed', "finishedAt" = ${at}, "updatedAt" = ${at},
      "lastError" = COALESCE("lastError", 'claim expired on the last attempt')
    WHERE "queue" = ${queue} AND "state" = 'running' AND "leaseExpiresAt" <= ${at} AND "attempt" >= "maxAttempts"`;
}

type JobRef = Pick<ClaimedJob, "id" | "queue" | "key" | "epoch">;

const stillMine = (job: JobRef) =>
  Prisma.sql`"id" = ${job.id} AND "epoch" = ${job.epoch} AND "state" = 'running'`;

/** Extends a running claim (long jobs heartbeat with this). Throws JobLost when taken over. */
export async function extendClaim<P>(
  job: ClaimedJob<P>,
  leaseMs: number,
  { now = Date.now() }: { now?: number } = {},
): Promise<ClaimedJob<P>> {
  const expires = new Date(leaseExpiresAt(now, leaseMs));
  const n = await db().$executeRaw`
    UPDATE "WorkJob" SET "leaseExpiresAt" = ${expires}, "updatedAt" = ${new Date(now)} WHERE ${stillMine(job)}`;
  if (n !== 1) throw new JobLost(job);
  return { ...job, leaseExpiresAt: expires };
}

/**
 * Inside a caller's transaction: fails with JobLost unless this claim is still
 * current, and locks the job row so a takeover cannot commit until the
 * transaction ends (the check is an UPDATE on both dialects).
 */
export async function assertClaimHeld(tx: Tx, job: JobRef, now = Date.now()): Promise<void> {
  const n = await tx.$executeRaw`UPDATE "WorkJob" SET "updatedAt" = ${new Date(now)} WHERE ${stillMine(job)}`;
  if (n !== 1) throw new JobLost(job);
}

/** Runs `fn`'s writes in one transaction only while `job` is still claimed at its epoch. */
export function fencedJob<T>(job: JobRef, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(async (tx) => {
    await assertClaimHeld(tx, job);
    return fn(tx);
  });
}

async function finish(
  client: DbClient,
  job: JobRef,
  state: JobState,
  fields: { result?: string | null; lastError?: string | null },
  now: number,
): Promise<void> {
  const at = new Date(now);
  const n = await client.$executeRaw`
    UPDATE "WorkJob" SET "state" = ${state}, "finishedAt" = ${at}, "updatedAt" = ${at},
      "leaseExpiresAt" = NULL,
      "result" = ${fields.result ?? null},
      "lastError" = COALESCE(${fields.lastError ?? null}, "lastError")
    WHERE ${stillMine(job)}`;
  if (n !== 1) throw new JobLost(job);
}

/** Marks the job succeeded, only from the current claim; pass `tx` to commit it with your own writes. */
export function complete(
  job: JobRef,
  { result, tx, now = Date.now() }: { result?: unknown; tx?: Tx; now?: number } = {},
): Promise<void> {
  const json = result === undefined ? null : JSON.stringify(result);
  return finish(tx ?? db(), job, "succeeded", { result: json }, now);
}

/** Gives up on the job for good. */
export function fail(job: JobRef, error: string, { now = Date.now() }: { now?: number } = {}): Promise<void> {
  return finish(db(), job, "failed", { lastError: clip(error) }, now);
}

/**
 * The claim failed: schedule the next attempt with backoff (or `runAt`), or
 * fail the job once it has used all its attempts.
 */
export async function retry(
  job: ClaimedJob,
  error: string,
  {
    runAt,
    backoff = DEFAULT_JOB_BACKOFF,
    now = Date.now(),
    random = Math.random,
  }: { runAt?: Date; backoff?: BackoffPolicy; now?: number; random?: () => number } = {},
): Promise<"retrying" | "failed"> {
  const next = runAt
    ? { kind: "retry" as const, runAt: runAt.getTime() }
    : nextAttempt(job, now, backoff, random());
  if (next.kind === "fail") {
    await fail(job, error, { now });
    return "failed";
  }
  const at = new Date(now);
  const n = await db().$executeRaw`
    UPDATE "WorkJob" SET "state" = 'available', "runAt" = ${new Date(next.runAt)}, "updatedAt" = ${at},
      "leaseExpiresAt" = NULL, "claimedBy" = NULL, "lastError" = ${clip(error)}
    WHERE ${stillMine(job)}`;
  if (n !== 1) throw new JobLost(job);
  return "retrying";
}

/** Cancels a job that has not finished (a running claim's completion is then refused). */
export async function cancel(
  queue: string,
  key: string,
  { now = Date.now() }: { now?: number } = {},
): Promise<boolean> {
  const at = new Date(now);
  const n = await db().$executeRaw`
    UPDATE "WorkJob" SET "state" = 'cancelled', "finishedAt" = ${at}, "updatedAt" = ${at}, "leaseExpiresAt" = NULL
    WHERE "queue" = ${queue} AND "key" = ${key} AND "state" IN ('available', 'running')`;
  return n === 1;
}

/**
 * Deletes finished jobs older than `olderThan`. Their keys become free again,
 * so keep finished outbox rows at least as long as a duplicate could arrive.
 */
export async function pruneFinished(
  olderThan: Date,
  { batch = 1_000 }: { batch?: number } = {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db().$executeRaw`
      DELETE FROM "WorkJob" WHERE "id" IN (
        SELECT "id" FROM "WorkJob"
        WHERE "state" IN ('succeeded', 'failed', 'cancelled') AND "finishedAt" < ${olderThan}
        LIMIT ${batch})`;
    total += n;
    if (n < batch) return total;
  }
}

/** Hands an unfinished claim back without using up an attempt (graceful shutdown). */
export async function releaseClaim(job: JobRef, { now = Date.now() }: { now?: number } = {}): Promise<void> {
  const at = new Date(now);
  await db().$executeRaw`
    UPDATE "WorkJob" SET "state" = 'available', "attempt" = "attempt" - 1, "updatedAt" = ${at},
      "leaseExpiresAt" = NULL, "claimedBy" = NULL
    WHERE ${stillMine(job)}`;
}
