import "server-only";
import { db, type Tx } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { asDate, asInt } from "@/lib/db/rows";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { WorkEvents } from "./events";
import { heartbeatInstance, instanceId } from "./instance";
import type { Lease } from "./lease";
import { defaultMarginMs, trustedUntil } from "./policy";
import { planShardTick, shardOf } from "./shard-policy";

// Splits a service's work into shards owned through lease rows: one row per
// shard ("<service>:<n>"), a fair share per live instance, taken over with
// epoch + 1 when an owner stops renewing, handed over (stop, then release) when
// another instance joins. Every write of a shard's work goes through
// heldShardLeases() with the shard's epoch, so a paused-then-resumed old owner
// commits nothing.

export interface ShardOwnerOptions {
  /** service name: lease rows are "<service>:<shard>", live instances are those whose services list it */
  service: string;
  shardCount?: number;
  leaseMs?: number;
  /** how often to renew, heartbeat and rebalance (default: a third of the lease) */
  tickMs?: number;
  owner?: string;
  /** called before shards are released, and after shards were lost: stop working on them */
  onRelease?: (shards: number[]) => Promise<void> | void;
  onAcquire?: (shards: number[]) => Promise<void> | void;
  now?: () => number;
}

export type ShardEvents = {
  acquired: [number[]];
  released: [number[]];
  /** taken over by another instance, or no longer trusted (renewals failing) */
  lost: [number[]];
  tick: [{ held: number; target: number }];
};

export const DEFAULT_SHARDS = 256;

const shardName = (service: string, shard: number) => `${service}:${shard}`;
const shardNumber = (service: string, name: string) => Number(name.slice(service.length + 1));

export class ShardOwner {
  readonly events = new WorkEvents<ShardEvents>();
  readonly shardCount: number;
  private readonly leaseMs: number;
  private readonly tickMs: number;
  private readonly owner: string;
  private readonly now: () => number;
  private readonly held = new Map<number, Lease>();
  private trusted = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private isStopped = false;

  constructor(private readonly opts: ShardOwnerOptions) {
    this.shardCount = opts.shardCount ?? DEFAULT_SHARDS;
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.tickMs = opts.tickMs ?? Math.max(1, Math.floor(this.leaseMs / 3));
    this.owner = opts.owner ?? instanceId();
    this.now = opts.now ?? Date.now;
  }

  /** true while this instance owns the item's shard */
  owns(id: string): boolean {
    return this.held.has(shardOf(id, this.shardCount));
  }

  shardOf(id: string): number {
    return shardOf(id, this.shardCount);
  }

  /** the lease (with its epoch) this instance holds for a shard */
  leaseOf(shard: number): Lease | undefined {
    return this.held.get(shard);
  }

  heldShards(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    await ensureShardRows(this.opts.service, this.shardCount);
    await this.tick();
    this.schedule();
  }

  private schedule(): void {
    if (this.isStopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.tickMs);
    this.timer.unref();
  }

  /** Stops, hands every shard back at once (after onRelease) so others need not wait for expiry. */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const shards = this.heldShards();
    if (shards.length === 0) return;
    await this.opts.onRelease?.(shards);
    await this.release(shards).catch((err) => log.warn("shard release failed", { error: String(err) }));
  }

  private async lose(shards: number[]): Promise<void> {
    if (shards.length === 0) return;
    for (const s of shards) this.held.delete(s);
    await this.opts.onRelease?.(shards);
    this.events.emit("lost", shards);
  }

  /** One round: heartbeat, renew, rebalance. Public for tests. */
  async tick(): Promise<void> {
    const startedAt = this.now();
    try {
      await heartbeatInstance({ now: startedAt, id: this.owner });
      await this.renew(startedAt);
      this.trusted = trustedUntil(startedAt, this.leaseMs, defaultMarginMs(this.leaseMs));
      const view = await this.view(startedAt);
      const plan = planShardTick(view);
      if (plan.release.length > 0) {
        await this.opts.onRelease?.(plan.release);
        await this.release(plan.release);
        this.events.emit("released", plan.release);
      }
      if (plan.claim > 0) {
        const got = await this.claim(plan.claim, startedAt);
        if (got.length > 0) {
          await this.opts.onAcquire?.(got);
          this.events.emit("acquired", got);
        }
      }
      this.events.emit("tick", { held: this.held.size, target: plan.target });
    } catch (err) {
      log.warn("shard tick failed", { service: this.opts.service, error: String(err) });
    }
    // Renewals failing for longer than the safety margin leaves: stop trusting what we hold.
    if (this.held.size > 0 && this.now() >= this.trusted) await this.lose(this.heldShards());
  }

  private async renew(now: number): Promise<void> {
    if (this.held.size === 0) return;
    const leases = [...this.held.values()];
    const at = new Date(now);
    const expires = new Date(now + this.leaseMs);
    const rows = await db().$queryRaw<{ name: string; epoch: unknown }[]>`
      UPDATE "WorkLease" SET "renewedAt" = ${at}, "expiresAt" = ${expires}
      WHERE "owner" = ${this.owner} AND ${leaseMatch(leases)}
      RETURNING "name", "epoch"`;
    const renewed = new Set(rows.map((r) => shardNumber(this.opts.service, r.name)));
    for (const l of leases) {
      const shard = shardNumber(this.opts.service, l.name);
      if (renewed.has(shard)) this.held.set(shard, { ...l, expiresAt: expires });
    }
    await this.lose([...this.held.keys()].filter((s) => !renewed.has(s)));
  }

  private async view(now: number) {
    const [leases, instances] = await Promise.all([
      db().workLease.findMany({
        where: { name: { startsWith: `${this.opts.service}:` }, expiresAt: { gt: new Date(now) } },
        select: { name: true, owner: true },
      }),
      db().workerInstance.findMany({
        where: { stoppedAt: null, heartbeatAt: { gte: new Date(now - 2 * this.tickMs) } },
        select: { id: true, services: true },
      }),
    ]);
    const live = instances
      .filter((i) => i.id === this.owner || (JSON.parse(i.services) as string[]).includes(this.opts.service))
      .map((i) => i.id);
    const owners = new Map(leases.map((l) => [shardNumber(this.opts.service, l.name), l.owner]));
    return { shardCount: this.shardCount, self: this.owner, live, owners };
  }

  private async claim(limit: number, now: number): Promise<number[]> {
    const at = new Date(now);
    const expires = new Date(now + this.leaseMs);
    const like = `${this.opts.service}:%`;
    const set = Prisma.sql`"owner" = ${this.owner}, "epoch" = "epoch" + 1, "acquiredAt" = ${at}, "renewedAt" = ${at}, "expiresAt" = ${expires}`;
    // random order: instances claiming at the same moment mostly pick different rows
    const rows =
      dialect() === "postgresql"
        ? await db().$queryRaw<Record<string, unknown>[]>`
            WITH picked AS (
              SELECT "name" FROM "WorkLease" WHERE "name" LIKE ${like} AND "expiresAt" <= ${at}
              ORDER BY random() LIMIT ${limit} FOR UPDATE SKIP LOCKED)
            UPDATE "WorkLease" SET ${set} FROM picked WHERE "WorkLease"."name" = picked."name"
            RETURNING "WorkLease"."name", "WorkLease"."owner", "WorkLease"."epoch", "WorkLease"."acquiredAt", "WorkLease"."expiresAt"`
        : await db().$queryRaw<Record<string, unknown>[]>`
            UPDATE "WorkLease" SET ${set}
            WHERE "name" IN (SELECT "name" FROM "WorkLease" WHERE "name" LIKE ${like} AND "expiresAt" <= ${at} ORDER BY random() LIMIT ${limit})
            RETURNING "name", "owner", "epoch", "acquiredAt", "expiresAt"`;
    const got: number[] = [];
    for (const r of rows) {
      const shard = shardNumber(this.opts.service, String(r.name));
      this.held.set(shard, {
        name: String(r.name),
        owner: String(r.owner),
        epoch: asInt(r.epoch),
        acquiredAt: asDate(r.acquiredAt),
        expiresAt: asDate(r.expiresAt),
      });
      got.push(shard);
    }
    return got.sort((a, b) => a - b);
  }

  private async release(shards: number[]): Promise<void> {
    const leases = shards.map((s) => this.held.get(s)).filter((l): l is Lease => l !== undefined);
    for (const s of shards) this.held.delete(s);
    if (leases.length === 0) return;
    const at = new Date(this.now());
    await db().$executeRaw`
      UPDATE "WorkLease" SET "expiresAt" = ${at}, "renewedAt" = ${at}
      WHERE "owner" = ${this.owner} AND ${leaseMatch(leases)}`;
  }
}

/** ("name", "epoch") IN ((…), …): row values work on SQLite ≥ 3.15 and PostgreSQL. */
function leaseMatch(leases: Pick<Lease, "name" | "epoch">[]): Prisma.Sql {
  return Prisma.sql`("name", "epoch") IN (${Prisma.join(leases.map((l) => Prisma.sql`(${l.name}, ${l.epoch})`))})`;
}

/** Creates the shard rows once (expired, epoch 0) so claiming is one UPDATE. */
export async function ensureShardRows(service: string, shardCount: number): Promise<void> {
  const zero = new Date(0);
  const rows = Array.from(
    { length: shardCount },
    (_, i) => Prisma.sql`(${shardName(service, i)}, '', 0, ${zero}, ${zero}, ${zero})`,
  );
  for (let i = 0; i < rows.length; i += 500) {
    await db().$executeRaw`
      INSERT INTO "WorkLease" ("name", "owner", "epoch", "acquiredAt", "renewedAt", "expiresAt")
      VALUES ${Prisma.join(rows.slice(i, i + 500))}
      ON CONFLICT ("name") DO NOTHING`;
  }
}

/**
 * Inside a write transaction: which of these shard leases are still held at
 * their epochs. Locks them (PostgreSQL: FOR SHARE; SQLite: the write lock) so
 * no takeover commits before this transaction does. Drop the work of the rest.
 */
export async function heldShardLeases(
  tx: Tx,
  leases: Pick<Lease, "name" | "owner" | "epoch">[],
): Promise<Set<string>> {
  if (leases.length === 0) return new Set();
  const owner = leases[0]?.owner ?? "";
  const rows =
    dialect() === "postgresql"
      ? await tx.$queryRaw<{ name: string }[]>`
          SELECT "name" FROM "WorkLease" WHERE "owner" = ${owner} AND ${leaseMatch(leases)} FOR SHARE`
      : await tx.$queryRaw<{ name: string }[]>`
          UPDATE "WorkLease" SET "epoch" = "epoch" WHERE "owner" = ${owner} AND ${leaseMatch(leases)} RETURNING "name"`;
  return new Set(rows.map((r) => r.name));
}
