import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

// Applies prisma/migrations/*/migration.sql in order and records each one in
// `_prisma_migrations` exactly as `prisma migrate deploy` would, so the two are
// interchangeable wherever the native schema engine is available.

// Resolved from the working directory (the project root for `next start` and the
// CLIs); import.meta.dirname would point into the server bundle instead.
export const MIGRATIONS_DIR = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "migrations");

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
  /** applied earlier but the file changed since: prisma warns about these too */
  modified: string[];
}

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export function sqlitePathFromUrl(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`not a SQLite URL: ${url.split(":")[0]}:…`);
  return url.slice("file:".length).split("?")[0] ?? "";
}

export function migrateSqlite(url: string, dir = MIGRATIONS_DIR): MigrationResult {
  const file = sqlitePathFromUrl(url);
  fs.mkdirSync(path.dirname(path.resolve(/*turbopackIgnore: true*/ file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 10000");
    db.exec(CREATE_TABLE);
    // SQLite ignores PRAGMA foreign_keys inside a transaction, and table
    // rebuilds (DROP + RENAME) would otherwise cascade-delete child rows. So
    // foreign keys are off for the whole run and checked once at the end.
    db.pragma("foreign_keys = OFF");
    const result: MigrationResult = { applied: [], alreadyApplied: [], modified: [] };
    // IMMEDIATE takes the write lock up front, so a collector process starting
    // beside the web server cannot apply the same migration twice.
    db.exec("BEGIN IMMEDIATE");
    try {
      const rows = db
        .prepare(
          `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
        )
        .all() as {
        migration_name: string;
        checksum: string;
        finished_at: string | null;
        rolled_back_at: string | null;
      }[];
      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed) {
        throw new Error(
          `Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then mark it rolled back.`,
        );
      }
      const done = new Map(
        rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]),
      );
      for (const m of listMigrations(dir)) {
        const previous = done.get(m.name);
        if (previous !== undefined) {
          (previous === m.checksum ? result.alreadyApplied : result.modified).push(m.name);
          continue;
        }
        const id = randomUUID();
        db.prepare(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)`,
        ).run(id, m.checksum, m.name, new Date().toISOString());
        db.exec(m.sql);
        db.prepare(
          `UPDATE "_prisma_migrations" SET finished_at = ?, applied_steps_count = 1 WHERE id = ?`,
        ).run(new Date().toISOString(), id);
        result.applied.push(m.name);
      }
      const violations = db.pragma("foreign_key_check") as unknown[];
      if (violations.length > 0)
        throw new Error(`migrations left ${violations.length} foreign key violations`);
      db.exec("COMMIT");
      db.pragma("foreign_keys = ON");
      return result;
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  } finally {
    db.close();
  }
}

export function migrate(databaseUrl: string): MigrationResult {
  if (databaseUrl.startsWith("file:")) return migrateSqlite(databaseUrl);
  throw new Error(
    "Only SQLite migrations ship today; PostgreSQL needs its own migration folder (the schema is kept portable for it).",
  );
}
