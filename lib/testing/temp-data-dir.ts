import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetDbForTests } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { resetKeysForTests } from "@/lib/secrets/crypto";
import { createTestDatabase, dropTestDatabase, testDatabaseDialect } from "./test-database";

/**
 * Points Outpost at a fresh data directory (secret key, SQLite file) for one
 * test file; returns a cleanup. Extra env vars apply until cleanup.
 *
 * In vitest's "postgresql" project the database is a fresh PostgreSQL database
 * instead (DATABASE_URL), so every test that uses this runs on both databases.
 */
export async function useTempDataDir(
  extraEnv: Record<string, string> = {},
): Promise<{ dir: string; databaseUrl: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-test-"));
  const isPostgres = testDatabaseDialect() === "postgresql" && !("DATABASE_URL" in extraEnv);
  const databaseUrl = isPostgres ? await createTestDatabase() : `file:${path.join(dir, "outpost.db")}`;
  const vars: Record<string, string> = {
    OUTPOST_DATA_DIR: dir,
    OUTPOST_LOG_LEVEL: "silent",
    DATABASE_URL: databaseUrl,
    ...extraEnv,
  };
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetEnvForTests();
  resetKeysForTests();
  await resetDbForTests();
  return {
    dir,
    databaseUrl: vars.DATABASE_URL ?? databaseUrl,
    cleanup: async () => {
      await resetDbForTests();
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvForTests();
      resetKeysForTests();
      if (isPostgres) await dropTestDatabase(databaseUrl);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
