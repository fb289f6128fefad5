import "server-only";
import { env } from "@/lib/env";
import { type Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-pg/client";
import { dialect, dialectOf } from "./dialect";
import { migrate } from "./migrate";
import { MigratingPgAdapter } from "./postgres-adapter";
import { GatedSqliteAdapter } from "./sqlite-adapter";

/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
/** Either the process's client or a transaction: what functions that may run inside a caller's transaction take. */
export type DbClient = PrismaClient | Tx;

// One client per process; Next's dev server re-evaluates modules on every
// change, so the instance lives on globalThis to avoid piling up connections.
const globalForDb = globalThis as unknown as { outpostDb?: PrismaClient };

/**
 * A client for `databaseUrl`, migrated before its first query. The process's
 * own client is db(); this is for tools that talk to two databases at once.
 */
export function createClient(
  databaseUrl: string,
  { poolSize = 10 }: { poolSize?: number } = {},
): PrismaClient {
  if (dialectOf(databaseUrl) === "postgresql") {
    // Prisma 7 generates one client per provider. The PostgreSQL client has the
    // same models and methods; the code is typed against the SQLite one (the
    // smaller feature set), so nothing PostgreSQL-only slips in unnoticed.
    const client = new PostgresPrismaClient({
      adapter: new MigratingPgAdapter(databaseUrl, { max: poolSize }),
    });
    return client as unknown as PrismaClient;
  }
  migrate(databaseUrl);
  return new PrismaClient({ adapter: new GatedSqliteAdapter({ url: databaseUrl }) });
}

function create(): PrismaClient {
  const { databaseUrl, OUTPOST_DATABASE_POOL_SIZE } = env();
  return createClient(databaseUrl, { poolSize: OUTPOST_DATABASE_POOL_SIZE });
}

export function db(): PrismaClient {
  globalForDb.outpostDb ??= create();
  return globalForDb.outpostDb;
}

// Prisma's defaults (wait 2 s for a connection, 5 s per transaction) fail
// spuriously on a loaded 2-core machine; transactions here stay short anyway.
const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/**
 * PostgreSQL ends a transaction whose client went quiet for this long. A worker
 * paused inside a fenced write (SIGSTOP, a frozen VM) otherwise keeps its lease
 * row share-locked, and no other instance can take the lease over until it wakes
 * (lib/alerts/several-workers.test.ts). Our transactions never wait on the
 * network, so a healthy one is never idle this long. Set per transaction (SET
 * LOCAL semantics), which PgBouncer in transaction mode passes through.
 */
export const IDLE_IN_TRANSACTION_MS = 10_000;

/** An interactive transaction with limits sized for a busy machine. Never await network I/O inside. */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = db();
  if (dialect() !== "postgresql") return client.$transaction(fn, TX_OPTIONS);
  return client.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT set_config('idle_in_transaction_session_timeout', ${String(IDLE_IN_TRANSACTION_MS)}, true)`;
    return fn(tx);
  }, TX_OPTIONS);
}

/** Tests point OUTPOST_DATA_DIR / DATABASE_URL elsewhere and need a fresh client. */
export async function resetDbForTests(): Promise<void> {
  await globalForDb.outpostDb?.$disconnect();
  globalForDb.outpostDb = undefined;
}
