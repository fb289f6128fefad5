import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { migrate } from "./migrate";

// One client per process; Next's dev server re-evaluates modules on every
// change, so the instance lives on globalThis to avoid piling up connections.
const globalForDb = globalThis as unknown as { outpostDb?: PrismaClient };

function create(): PrismaClient {
  const { databaseUrl } = env();
  migrate(databaseUrl);
  const adapter = new PrismaBetterSqlite3({ url: databaseUrl });
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  globalForDb.outpostDb ??= create();
  return globalForDb.outpostDb;
}

/** Tests point OUTPOST_DATA_DIR elsewhere and need a fresh client. */
export async function resetDbForTests(): Promise<void> {
  await globalForDb.outpostDb?.$disconnect();
  globalForDb.outpostDb = undefined;
}
