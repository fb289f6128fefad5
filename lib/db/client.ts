import "server-only";
import { env } from "@/lib/env";
import { type Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { migrate } from "./migrate";
import { GatedSqliteAdapter } from "./sqlite-adapter";

/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
/** Either the process's client or a transaction: what functions that may run inside a caller's transaction take. */
export type DbClient = PrismaClient | Tx;

// One client per process; Next's dev server re-evaluates modules on every
// change, so the instance lives on globalThis to avoid piling up connections.
const globalForDb = globalThis as unknown as { outpostDb?: PrismaClient };

function create(): PrismaClient {
  const { databaseUrl } = env();
  migrate(databaseUrl);
  const adapter = new GatedSqliteAdapter({ url: databaseUrl });
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  globalForDb.outpostDb ??= create();
  return globalForDb.outpostDb;
}

// Prisma's defaults (wait 2 s for a connection, 5 s per transaction) fail
// spuriously on a loaded 2-core machine; transactions here stay short anyway.
const TX_OPTIONS = { maxWait: 15_000, timeout: 30_000 } as const;

/** An interactive transaction with limits sized for a busy machine. Never await network I/O inside. */
export function transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, TX_OPTIONS);
}

/** Tests point OUTPOST_DATA_DIR elsewhere and need a fresh client. */
export async function resetDbForTests(): Promise<void> {
  await globalForDb.outpostDb?.$disconnect();
  globalForDb.outpostDb = undefined;
}
