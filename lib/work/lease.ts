import "server-only";
import { type DbClient, db, type Tx, transaction } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { asDate, asInt } from "@/lib/db/rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { leaseExpiresAt } from "./policy";

// Named leases with fencing epochs (one row per name in "WorkLease"). Whoever
// holds a lease at an epoch may write; a takeover increments the epoch, and
// fenced() refuses any transaction whose epoch is no longer current, so a
// paused-then-resumed old holder cannot overwrite its successor's work.

export interface Lease {
  name: string;
  owner: string;
  epoch: number;
  acquiredAt: Date;
  expiresAt: Date;
}

export class LeaseLost extends Error {
  constructor(readonly lease: Pick<Lease, "name" | "owner" | "epoch">) {
    super(`lease ${lease.name} is no longer held by ${lease.owner} at epoch ${lease.epoch}`);
    this.name = "LeaseLost";
  }
}

export interface LeaseClock {
  /** the caller's clock; tests pass a fake one */
  now?: number;
}

function toLease(row: Record<string, unknown>): Lease {
  return {
    name: String(row.name),
    owner: String(row.owner),
    epoch: asInt(row.epoch),
    acquiredAt: asDate(row.acquiredAt),
    expiresAt: asDate(row.expiresAt),
  };
}

const RETURNING = Prisma.sql`RETURNING "name", "owner", "epoch", "acquiredAt", "expiresAt"`;

/**
 * Takes the lease when it is free or expired (epoch + 1); null while someone
 * holds it — the caller itself included: a holder renews instead.
 */
export async function acquireLease(
  name: string,
  owner: string,
  ttlMs: number,
  { now = Date.now() }: LeaseClock = {},
  client: DbClient = db(),
): Promise<Lease | null> {
  const at = new Date(now);
  const expires = new Date(leaseExpiresAt(now, ttlMs));
  // One statement on both dialects: insert a new lease at epoch 1, or take over
  // an expired one. The row lock of the upsert serialises racing acquirers.
  const rows = await client.$queryRaw<Record<string, unknown>[]>`
    INSERT INTO "WorkLease" ("name", "owner", "epoch", "acquiredAt", "renewedAt", "expiresAt")
    VALUES (${name}, ${owner}, 1, ${at}, ${at}, ${expires})
    ON CONFLICT ("name") DO UPDATE SET
      "owner" = excluded."owner",
      "epoch" = "WorkLease"."epoch" + 1,
      "acquiredAt" = excluded."acquiredAt",
      "renewedAt" = excluded."renewedAt",
      "expiresAt" = excluded."expiresAt"
    WHERE "WorkLease"."expiresAt" <= excluded."acquiredAt"
    ${RETURNING}`;
  const row = rows[0];
  return row ? toLease(row) : null;
}

/** Extends the lease; only the same owner at the same epoch may. Throws LeaseLost otherwise. */
export async function renewLease(
  lease: Lease,
  ttlMs: number,
  { now = Date.now() }: LeaseClock = {},
  client: DbClient = db(),
): Promise<Lease> {
  const at = new Date(now);
  const expires = new Date(leaseExpiresAt(now, ttlMs));
  const rows = await client.$queryRaw<Record<string, unknown>[]>`
    UPDATE "WorkLease" SET "renewedAt" = ${at}, "expiresAt" = ${expires}
    WHERE "name" = ${lease.name} AND "owner" = ${lease.owner} AND "epoch" = ${lease.epoch}
    ${RETURNING}`;
  const row = rows[0];
  if (!row) throw new LeaseLost(lease);
  return toLease(row);
}

/** Gives the lease up at once (it expires now); the next holder gets epoch + 1. A lost lease is a no-op. */
export async function releaseLease(
  lease: Lease,
  { now = Date.now() }: LeaseClock = {},
  client: DbClient = db(),
): Promise<void> {
  const at = new Date(now);
  await client.$executeRaw`
    UPDATE "WorkLease" SET "expiresAt" = ${at}, "renewedAt" = ${at}
    WHERE "name" = ${lease.name} AND "owner" = ${lease.owner} AND "epoch" = ${lease.epoch}`;
}

/**
 * Inside a caller's transaction: fails with LeaseLost unless the lease is held
 * at this epoch, and keeps a takeover from committing until the transaction
 * ends (PostgreSQL: a share lock on the lease row, which the takeover's UPDATE
 * must wait for; SQLite: the database write lock, taken by the first statement).
 */
export async function assertLeaseHeld(tx: Tx, lease: Pick<Lease, "name" | "owner" | "epoch">): Promise<void> {
  const held =
    dialect() === "postgresql"
      ? (
          await tx.$queryRaw<unknown[]>`
            SELECT 1 FROM "WorkLease"
            WHERE "name" = ${lease.name} AND "owner" = ${lease.owner} AND "epoch" = ${lease.epoch}
            FOR SHARE`
        ).length
      : await tx.$executeRaw`
            UPDATE "WorkLease" SET "epoch" = "epoch"
            WHERE "name" = ${lease.name} AND "owner" = ${lease.owner} AND "epoch" = ${lease.epoch}`;
  if (held !== 1) throw new LeaseLost(lease);
}

/**
 * Runs `fn`'s writes in one transaction only while the lease is held at its
 * epoch; throws LeaseLost (and writes nothing) otherwise. Keep `fn` to
 * database work: no network calls inside.
 */
export function fenced<T>(
  lease: Pick<Lease, "name" | "owner" | "epoch">,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  return transaction(async (tx) => {
    await assertLeaseHeld(tx, lease);
    return fn(tx);
  });
}

/** Reads a lease row as it is now (ops view, tests). */
export async function readLease(name: string, client: DbClient = db()): Promise<Lease | null> {
  const row = await client.workLease.findUnique({ where: { name } });
  return row
    ? {
        name: row.name,
        owner: row.owner,
        epoch: row.epoch,
        acquiredAt: row.acquiredAt,
        expiresAt: row.expiresAt,
      }
    : null;
}
