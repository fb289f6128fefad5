import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { listMigrations, migrateSqlite } from "./migrate";
import { DB_ONLY_INDEXES, parseSchema, sqliteType } from "./schema-model";

const SCHEMA = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
const tmpDirs: string[] = [];

function tempDbUrl(): { url: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-migrate-"));
  tmpDirs.push(dir);
  const file = path.join(dir, "test.db");
  return { url: `file:${file}`, file };
}

afterEach(() => {
  for (const d of tmpDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
}

describe("migration runner", () => {
  it("applies every migration once and records it like prisma migrate deploy", () => {
    const { url, file } = tempDbUrl();
    const first = migrateSqlite(url);
    expect(first.applied).toEqual(listMigrations().map((m) => m.name));
    const second = migrateSqlite(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const db = new Database(file, { readonly: true });
    const rows = db.prepare(`SELECT * FROM "_prisma_migrations"`).all() as Record<string, unknown>[];
    db.close();
    expect(rows).toHaveLength(first.applied.length);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("keeps child rows when a later migration rebuilds a parent table", () => {
    const { url, file } = tempDbUrl();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-mig-src-"));
    tmpDirs.push(dir);
    const all = listMigrations();
    const rebuild = all.findIndex((m) => m.sql.includes('DROP TABLE "Site"'));
    expect(rebuild).toBeGreaterThan(0);
    const copy = (upTo: number) => {
      for (const m of all.slice(0, upTo)) {
        fs.mkdirSync(path.join(dir, m.name), { recursive: true });
        fs.writeFileSync(path.join(dir, m.name, "migration.sql"), m.sql);
      }
    };
    copy(rebuild);
    migrateSqlite(url, dir);
    const db = new Database(file);
    db.prepare(
      `INSERT INTO "Site" (id, slug, name, kind, updatedAt) VALUES ('s1', 'a', 'A', 'store', '2026-01-01')`,
    ).run();
    db.prepare(
      `INSERT INTO "Cluster" (id, siteId, name, server, contextName, authKind, kubeconfigEnc, updatedAt) VALUES ('c1', 's1', 'k', 'https://x', 'default', 'token', 'v1:x', '2026-01-01')`,
    ).run();
    db.close();
    copy(all.length);
    migrateSqlite(url, dir);
    const after = new Database(file, { readonly: true });
    const clusters = after.prepare(`SELECT id FROM "Cluster"`).all();
    after.close();
    expect(clusters).toEqual([{ id: "c1" }]);
  });

  it("reports a migration edited after it was applied", () => {
    const { url } = tempDbUrl();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-mig-src-"));
    tmpDirs.push(dir);
    fs.mkdirSync(path.join(dir, "001_a"));
    fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), 'CREATE TABLE "A" ("id" TEXT);');
    migrateSqlite(url, dir);
    fs.writeFileSync(path.join(dir, "001_a", "migration.sql"), 'CREATE TABLE "A" ("id" TEXT, "x" TEXT);');
    expect(migrateSqlite(url, dir).modified).toEqual(["001_a"]);
  });

  it("rolls back a failing migration and refuses to continue past it", () => {
    const { url, file } = tempDbUrl();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-mig-src-"));
    tmpDirs.push(dir);
    fs.mkdirSync(path.join(dir, "001_bad"));
    fs.writeFileSync(path.join(dir, "001_bad", "migration.sql"), "CREATE TABLE nope (;");
    expect(() => migrateSqlite(url, dir)).toThrow();
    const db = new Database(file, { readonly: true });
    const count = db.prepare(`SELECT count(*) AS n FROM "_prisma_migrations"`).get() as { n: number };
    db.close();
    expect(count.n).toBe(0);
  });
});

describe("schema drift", () => {
  // Fails when schema.prisma and prisma/migrations disagree: add a migration for every schema change.
  it("the migrated database matches schema.prisma", () => {
    const { url, file } = tempDbUrl();
    migrateSqlite(url);
    const db = new Database(file, { readonly: true });
    const models = parseSchema(SCHEMA);
    expect(models.length).toBeGreaterThan(0);

    const tables = (
      db
        .prepare(
          `SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
        )
        .all() as { name: string }[]
    )
      .map((t) => t.name)
      .sort();
    expect(tables).toEqual(models.map((m) => m.name).sort());

    for (const model of models) {
      const columns = db.prepare(`PRAGMA table_info("${model.name}")`).all() as ColumnInfo[];
      const actual = columns.map((c) => ({
        name: c.name,
        type: c.type,
        isNotNull: c.notnull === 1 || c.pk === 1,
        isPk: c.pk === 1,
        dflt: c.dflt_value,
      }));
      const expected = model.fields.map((f) => ({
        name: f.name,
        type: sqliteType(f.type),
        isNotNull: !f.isOptional,
        isPk: f.isId,
        dflt: f.defaultSql,
      }));
      // Column order is not part of the schema (ALTER TABLE appends), so compare by name.
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(actual.sort(byName), `columns of ${model.name}`).toEqual(expected.sort(byName));

      const indexes = (
        db.prepare(`PRAGMA index_list("${model.name}")`).all() as {
          name: string;
          unique: number;
          origin: string;
          partial: number;
        }[]
      )
        .filter((i) => i.origin === "c")
        .map((i) => {
          const cols = (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map(
            (c) => c.name,
          );
          const sql = (
            db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(i.name) as { sql: string }
          ).sql;
          const where = i.partial ? ` where ${sql.split(/ WHERE /i)[1]?.trim()}` : "";
          return `${i.unique ? "unique" : "index"}(${cols.join(",")})${where}`;
        })
        .sort();
      const expectedIndexes = [
        ...model.fields.filter((f) => f.isUnique).map((f) => `unique(${f.name})`),
        ...model.uniques.map((u) => `unique(${u.join(",")})`),
        ...model.indexes.map((u) => `index(${u.join(",")})`),
        ...(DB_ONLY_INDEXES[model.name] ?? []).map(
          (i) => `${i.isUnique ? "unique" : "index"}(${i.columns.join(",")}) where ${i.sqliteWhere}`,
        ),
      ].sort();
      expect(indexes, `indexes of ${model.name}`).toEqual(expectedIndexes);

      const fks = (
        db.prepare(`PRAGMA foreign_key_list("${model.name}")`).all() as {
          table: string;
          from: string;
          to: string;
          on_delete: string;
        }[]
      ).map((f) => `${f.from}->${f.table}.${f.to} ${f.on_delete}`);
      const expectedFks = model.foreignKeys.map(
        (f) =>
          `${f.columns.join(",")}->${f.table}.${f.references.join(",")} ${f.onDelete.replace(/([a-z])([A-Z])/, "$1 $2").toUpperCase()}`,
      );
      expect(fks.sort(), `foreign keys of ${model.name}`).toEqual(expectedFks.sort());
    }
    db.close();
  });
});
