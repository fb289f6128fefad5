import "server-only";
import { createHash } from "node:crypto";
import { db, transaction } from "@/lib/db/client";
import { addFailure, type Counter, isExpired, type ThrottleKeys, type ThrottlePolicy } from "./throttle";

// Where the login counters and the owners' known addresses live. The database
// implementation below is what Outpost uses: every instance sees the same state.

export interface ThrottleStore {
  read(keys: ThrottleKeys): Promise<Partial<Record<keyof ThrottleKeys, Counter>>>;
  /** counts one failure on every key (a fresh counter where the old one has expired) */
  fail(keys: ThrottleKeys, policy: ThrottlePolicy, now: number): Promise<void>;
  /** forgets the account's and the pair's failures after a successful sign-in */
  succeed(keys: ThrottleKeys): Promise<void>;
  isKnownAddress(userId: string, address: string): Promise<boolean>;
  rememberAddress(userId: string, address: string, now: number): Promise<void>;
}

/** How many sign-in addresses are remembered per user (the most recent ones). */
const KNOWN_ADDRESSES_PER_USER = 20;
/** A remembered address stops counting as known after this long without a sign-in from it. */
const KNOWN_ADDRESS_TTL_MS = 90 * 86_400_000;

const hashAddress = (address: string) =>
  createHash("sha256").update(`outpost-login|${address}`).digest("hex");

const KINDS = ["account", "address", "pair"] as const;

export function databaseThrottleStore(): ThrottleStore {
  return {
    async read(keys) {
      const rows = await db().loginThrottle.findMany({ where: { key: { in: KINDS.map((k) => keys[k]) } } });
      const out: Partial<Record<keyof ThrottleKeys, Counter>> = {};
      for (const kind of KINDS) {
        const row = rows.find((r) => r.key === keys[kind]);
        if (row)
          out[kind] = {
            failures: row.failures,
            firstFailureAt: row.firstFailureAt.getTime(),
            lastFailureAt: row.lastFailureAt.getTime(),
          };
      }
      return out;
    },

    async fail(keys, policy, now) {
      await transaction(async (tx) => {
        for (const kind of KINDS) {
          const key = keys[kind];
          const row = await tx.loginThrottle.findUnique({ where: { key } });
          const before = row
            ? {
                failures: row.failures,
                firstFailureAt: row.firstFailureAt.getTime(),
                lastFailureAt: row.lastFailureAt.getTime(),
              }
            : undefined;
          const next = addFailure(kind, before, policy, now);
          const data = {
            failures: next.failures,
            firstFailureAt: new Date(next.firstFailureAt),
            lastFailureAt: new Date(next.lastFailureAt),
          };
          // Continuing counter: increment in the database, so two instances counting at once both count.
          if (before && !isExpired(kind, before, policy, now))
            await tx.loginThrottle.update({
              where: { key },
              data: { failures: { increment: 1 }, lastFailureAt: data.lastFailureAt },
            });
          else await tx.loginThrottle.upsert({ where: { key }, create: { key, ...data }, update: data });
        }
      });
      // Keep the table bounded under a spray of made-up usernames: drop what nobody remembers.
      if (Math.random() < 0.02) {
        const horizon = new Date(now - Math.max(policy.accountMemoryMs, policy.windowMs));
        await db().loginThrottle.deleteMany({ where: { lastFailureAt: { lt: horizon } } });
      }
    },

    async succeed(keys) {
      await db().loginThrottle.deleteMany({ where: { key: { in: [keys.account, keys.pair] } } });
    },

    async isKnownAddress(userId, address) {
      const row = await db().loginAddress.findUnique({
        where: { userId_addressHash: { userId, addressHash: hashAddress(address) } },
      });
      return row !== null && Date.now() - row.lastSeenAt.getTime() <= KNOWN_ADDRESS_TTL_MS;
    },

    async rememberAddress(userId, address, now) {
      const addressHash = hashAddress(address);
      const at = new Date(now);
      await db().loginAddress.upsert({
        where: { userId_addressHash: { userId, addressHash } },
        create: { userId, addressHash, lastSeenAt: at },
        update: { lastSeenAt: at },
      });
      const stale = await db().loginAddress.findMany({
        where: { userId },
        orderBy: { lastSeenAt: "desc" },
        skip: KNOWN_ADDRESSES_PER_USER,
        select: { id: true },
      });
      if (stale.length > 0)
        await db().loginAddress.deleteMany({ where: { id: { in: stale.map((s) => s.id) } } });
    },
  };
}
