import path from "node:path";
import pg from "pg";
import { listMigrations, type MigrationResult } from "./migrate";

// PostgreSQL's migration history lives in its own folder (Prisma's format, one
// folder per provider). Applied like `prisma migrate deploy` would, recorded in
// the same `_prisma_migrations` table, under a *transaction-scoped* advisory
// lock: two instances starting at once apply each migration once, and the lock
// works behind PgBouncer in transaction mode (session locks would not).

export const PG_MIGRATIONS_DIR = path.join(
  /*turbopackIgnore: true*/ process.cwd(),
  "prisma",
  "migrations-postgresql",
);

/** The key `prisma migrate` locks too, so our runner and Prisma's CLI exclude each other. */
const MIGRATION_LOCK_KEY = 72707369;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface Row {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function migratePostgres(url: string, dir = PG_MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const result: MigrationResult = { applied: [], alreadyApplied: [], modified: [] };
  try {
    const files = listMigrations(dir);
    // One transaction per migration, each under the lock: a crash mid-way
    // leaves every migration either fully applied and recorded, or not at all.
    for (let checked = false; ; checked = true) {
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
        await client.query(CREATE_TABLE);
        const { rows } = await client.query<Row>(
          `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
        );
        const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
        if (failed) {
          throw new Error(
            `Migration ${failed.migration_name} failed earlier and was not rolled back; fix the database, then mark it rolled back.`,
          );
        }
        const done = new Map(
          rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]),
        );
        if (!checked) {
          for (const m of files) {
            const previous = done.get(m.name);
            if (previous !== undefined)
              (previous === m.checksum ? result.alreadyApplied : result.modified).push(m.name);
          }
        }
        const next = files.find((m) => !done.has(m.name));
        if (!next) {
          await client.query("COMMIT");
          return result;
        }
        const id = crypto.randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, next.checksum, next.name],
        );
        await client.query(next.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
        result.applied.push(next.name);
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw err;
      }
    }
  } finally {
    await client.end();
  }
}
