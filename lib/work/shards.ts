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
  /**
   * Called when shards leave this instance: before their leases are released
   * (hand-over: finish and write the work in flight; it is still fenced by the
   * leases) and after they were lost (taken over: whatever is written is refused).
   * owns()/leaseOf() no longer answer for them by then.
   */
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
/** how soon an instance below its share looks again for shards being handed over */
export const SHORT_TICK_MS = 250;

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
  /** below the fair share after the last tick */
  private isShort = false;

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
    // Short of its share, an instance is waiting for a hand-over: looking again
    // soon keeps the handed-over shards' gap small (a release is one tick of the
    // releaser; the claim follows within SHORT_TICK_MS, not a whole tick later).
    const delay = this.isShort ? Math.min(this.tickMs, SHORT_TICK_MS) : this.tickMs;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, delay);
    this.timer.unref();
  }

  /** Stops, hands every shard back at once (after onRelease) so others need not wait for expiry. */
  async stop(): Promise<void> {
    this.isStopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    const shards = this.heldShards();
    if (shards.length === 0) return;
    const leases = this.take(shards);
    await this.opts.onRelease?.(shards);
    await this.release(leases).catch((err) => log.warn("shard release failed", { error: String(err) }));
  }

  /**
   * Takes shards out of what this instance owns (owns() and leaseOf() stop
   * answering for them at once) and returns their leases, still held in the
   * database until release(): work in flight finishes and writes under them.
   */
  private take(shards: number[]): Lease[] {
    const leases: Lease[] = [];
    for (const s of shards) {
      const l = this.held.get(s);
      if (l) leases.push(l);
      this.held.delete(s);
    }
    return leases;
  }

  private async lose(shards: number[]): Promise<void> {
    if (shards.length === 0) return;
    for (const s of shards) this.held.delete(s);
    log.warn("shards lost", { service: this.opts.service, shards: shards.length, held: this.held.size });
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
        const leases = this.take(plan.release);
        await this.opts.onRelease?.(plan.release);
        await this.release(leases);
        log.info("shards handed over", {
          service: this.opts.service,
          shards: plan.release.length,
          held: this.held.size,
          target: plan.target,
        });
        this.events.emit("released", plan.release);
      }
      if (plan.claim > 0) {
        // the current time, not the tick's start: a release that committed since is claimable
        const got = await this.claim(plan.claim, this.now());
        if (got.length > 0) {
          log.info("shards claimed", {
            service: this.opts.service,
            shards: got.length,
            held: this.held.size,
            target: plan.target,
          });
          await this.opts.onAcquire?.(got);
          this.events.emit("acquired", got);
        }
      }
      this.isShort = this.held.size < plan.target;
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

  private async release(leases: Lease[]): Promise<void> {
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

/** Identifies a lease at one epoch (the same shard re-taken later is another key). */
export const leaseKey = (l: Pick<Lease, "name" | "epoch">) => `${l.name}@${l.epoch}`;

/**
 * Inside a write transaction: which of these shard leases are still held at
 * their epochs (as leaseKey()s). Locks them (PostgreSQL: FOR SHARE; SQLite: the
 * write lock) so no takeover commits before this transaction does. Drop the
 * work of the rest.
 */
export async function heldShardLeases(
  tx: Tx,
  leases: Pick<Lease, "name" | "owner" | "epoch">[],
): Promise<Set<string>> {
  if (leases.length === 0) return new Set();
  const owner = leases[0]?.owner ?? "";
  const unique = [...new Map(leases.map((l) => [leaseKey(l), l])).values()];
  const rows =
    dialect() === "postgresql"
      ? await tx.$queryRaw<{ name: string; epoch: unknown }[]>`
          SELECT "name", "epoch" FROM "WorkLease" WHERE "owner" = ${owner} AND ${leaseMatch(unique)} FOR SHARE`
      : await tx.$queryRaw<{ name: string; epoch: unknown }[]>`
          UPDATE "WorkLease" SET "epoch" = "epoch" WHERE "owner" = ${owner} AND ${leaseMatch(unique)} RETURNING "name", "epoch"`;
  return new Set(rows.map((r) => leaseKey({ name: r.name, epoch: asInt(r.epoch) })));
}

/**
 * What a shard owner's writes carry: the lease (with its epoch) taken when the
 * work began, checked again inside the write transaction. Work begun under an
 * epoch that is gone by the time it is written is refused, even if this
 * instance owns the shard again at a newer epoch.
 */
export interface ShardFence {
  /** the shard lease `id`'s work runs under now; null when this instance does not own its shard */
  tokenFor(id: string): Lease | null;
  /** inside the write transaction: which tokens are still held (locked until commit) */
  admit(tx: Tx, tokens: Lease[]): Promise<(token: Lease) => boolean>;
}

export function shardFence(owner: ShardOwner): ShardFence {
  return {
    tokenFor: (id) => owner.leaseOf(owner.shardOf(id)) ?? null,
    async admit(tx, tokens) {
      const held = await heldShardLeases(tx, tokens);
      return (token) => held.has(leaseKey(token));
    },
  };
}
