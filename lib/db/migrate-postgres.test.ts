// PostgreSQL's migration runner and drift check, on a real throw-away server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PostgresInstance, startPostgres } from "@/lib/testing/postgres";
import { listMigrations } from "./migrate";
import { migratePostgres, PG_MIGRATIONS_DIR } from "./migrate-postgres";
import { postgresTables } from "./postgres-ddl";
import { DB_ONLY_INDEXES, parseSchema, postgresType } from "./schema-model";

const SCHEMA = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
let server: PostgresInstance;

beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function migrationDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-pgmig-"));
  for (const [name, sql] of Object.entries(files)) {
    fs.mkdirSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("PostgreSQL migration runner", () => {
  it("applies every migration once and records it like prisma migrate deploy", async () => {
    const url = await server.createDatabase("mig");
    const first = await migratePostgres(url);
    expect(first.applied).toEqual(listMigrations(PG_MIGRATIONS_DIR).map((m) => m.name));
    const second = await migratePostgres(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);
    const rows = await query<{ checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      url,
      `SELECT checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`,
    );
    expect(rows).toHaveLength(first.applied.length);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it("two instances migrating an empty database at once apply each migration exactly once", async () => {
    const url = await server.createDatabase("race");
    const dir = migrationDir({
      "001_a": 'CREATE TABLE "A" ("id" TEXT PRIMARY KEY); SELECT pg_sleep(0.2);',
      "002_b": 'CREATE TABLE "B" ("id" TEXT PRIMARY KEY); INSERT INTO "A" VALUES (\'once\');',
    });
    const results = await Promise.all([
      migratePostgres(url, dir),
      migratePostgres(url, dir),
      migratePostgres(url, dir),
    ]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(["001_a", "002_b"]);
    expect(await query(url, `SELECT id FROM "A"`)).toEqual([{ id: "once" }]);
    const recorded = await query<{ migration_name: string }>(
      url,
      `SELECT migration_name FROM "_prisma_migrations"`,
    );
    expect(recorded.map((r) => r.migration_name).sort()).toEqual(["001_a", "002_b"]);
  });

  it("rolls back a failing migration whole and refuses to go past it", async () => {
    const url = await server.createDatabase("bad");
    const dir = migrationDir({
      "001_ok": 'CREATE TABLE "Ok" ("id" TEXT);',
      "002_bad": 'CREATE TABLE "Half" ("id" TEXT); CREATE TABLE nope (;',
    });
    await expect(migratePostgres(url, dir)).rejects.toThrow();
    const tables = await query<{ table_name: string }>(
      url,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(["Ok", "_prisma_migrations"]);
  });

  it("reports a migration edited after it was applied", async () => {
    const url = await server.createDatabase("edit");
    const dir = migrationDir({ "001_a": 'CREATE TABLE "A" ("id" TEXT);' });
    await migratePostgres(url, dir);
    fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), 'CREATE TABLE "A" ("id" TEXT, "x" TEXT);');
    expect((await migratePostgres(url, dir)).modified).toEqual(["001_a"]);
  });
});

describe("schema drift (PostgreSQL)", () => {
  // Fails when schema.prisma and prisma/migrations-postgresql disagree: every schema change needs a PostgreSQL migration too.
  it("the migrated database matches schema.prisma", async () => {
    const url = await server.createDatabase("drift");
    await migratePostgres(url);
    await expectMatchesSchema(url);
  });

  it("npm run db:postgres-sql renders DDL that builds exactly the schema (so ported migrations pass this test)", async () => {
    const url = await server.createDatabase("ddl");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(postgresTables(SCHEMA));
      for (const [table, list] of Object.entries(DB_ONLY_INDEXES)) {
        for (const i of list) {
          await client.query(
            `CREATE ${i.isUnique ? "UNIQUE " : ""}INDEX "${i.name}" ON "${table}"(${i.columns.map((c) => `"${c}"`).join(", ")}) WHERE ${i.postgresWhere}`,
          );
        }
      }
    } finally {
      await client.end();
    }
    await expectMatchesSchema(url);
  });
});

/** Compares the database at `url` with schema.prisma: tables, columns, primary keys, indexes, foreign keys. */
async function expectMatchesSchema(url: string): Promise<void> {
  const models = parseSchema(SCHEMA);
  const tables = await query<{ table_name: string }>(
    url,
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  expect(tables.map((t) => t.table_name).sort()).toEqual(models.map((m) => m.name).sort());
  const columns = await query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
  }>(
    url,
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const pks = await query<{ table_name: string; column_name: string }>(
    url,
    `SELECT tc.table_name, kcu.column_name FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'`,
  );
  const indexes = await query<{ tablename: string; indexname: string; indexdef: string }>(
    url,
    `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`,
  );
  const fks = await query<{ table_name: string; def: string }>(
    url,
    `SELECT conrelid::regclass::text AS table_name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'f'`,
  );
  for (const model of models) {
    const actual = columns
      .filter((c) => c.table_name === model.name)
      .map((c) => ({
        name: c.column_name,
        type: c.data_type,
        isNotNull: c.is_nullable === "NO",
        isPk: pks.some((p) => p.table_name === model.name && p.column_name === c.column_name),
        dflt: c.column_default?.replace(/::[a-z ]+$/, "") ?? null,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const expected = model.fields
      .map((f) => ({
        name: f.name,
        type: postgresType(f.type),
        isNotNull: !f.isOptional || f.isId,
        isPk: f.isId,
        dflt: f.defaultSql,
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(actual, `columns of ${model.name}`).toEqual(expected);

    const actualIndexes = indexes
      .filter((i) => i.tablename === model.name)
      .map((i) => {
        const cols = (i.indexdef.match(/\(([^)]*)\)/)?.[1] ?? "")
          .split(",")
          .map((c) => c.trim().replace(/"/g, ""));
        const where = i.indexdef.match(/ WHERE (.*)$/)?.[1];
        return `${/UNIQUE/.test(i.indexdef) ? "unique" : "index"}(${cols.join(",")})${where ? ` where ${where}` : ""}`;
      })
      .sort();
    const expectedIndexes = [
      ...model.fields.filter((f) => f.isUnique).map((f) => `unique(${f.name})`),
      ...model.uniques.map((u) => `unique(${u.join(",")})`),
      ...model.indexes.map((u) => `index(${u.join(",")})`),
      ...(DB_ONLY_INDEXES[model.name] ?? []).map(
        (i) => `${i.isUnique ? "unique" : "index"}(${i.columns.join(",")}) where ${i.postgresWhere}`,
      ),
    ].sort();
    expect(actualIndexes, `indexes of ${model.name}`).toEqual(expectedIndexes);

    const actualFks = fks
      .filter((f) => f.table_name.replace(/"/g, "") === model.name)
      .map((f) => f.def.replace(/"/g, ""))
      .sort();
    const expectedFks = model.foreignKeys
      .map((f) => {
        const del = f.onDelete.replace(/([a-z])([A-Z])/, "$1 $2").toUpperCase();
        return `FOREIGN KEY (${f.columns.join(", ")}) REFERENCES ${f.table}(${f.references.join(", ")}) ON UPDATE CASCADE ON DELETE ${del}`;
      })
      .sort();
    expect(actualFks, `foreign keys of ${model.name}`).toEqual(expectedFks);
  }
}
