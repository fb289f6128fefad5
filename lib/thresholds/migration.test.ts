// The thresholds migration on both databases: today's per-site "hot above" value
// becomes the site level of the chain, and the old column is gone.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrateSqlite } from "@/lib/db/migrate";
import { migratePostgres, PG_MIGRATIONS_DIR } from "@/lib/db/migrate-postgres";
import { type PostgresInstance, startPostgres } from "@/lib/testing/postgres";

const MIGRATION = "_alerts_thresholds_maintenance";

/** A copy of `dir` holding only the migrations `keep` accepts. */
function subset(dir: string, keep: (name: string) => boolean): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-thrmig-"));
  for (const name of fs.readdirSync(dir)) {
    if (!fs.statSync(path.join(dir, name)).isDirectory() || !keep(name)) continue;
    fs.cpSync(path.join(dir, name), path.join(out, name), { recursive: true });
  }
  return out;
}

function threshold(warnC: number | null): { slug: string; warn: number | null } {
  return { slug: warnC === null ? "inherits" : "own", warn: warnC };
}

describe("thresholds migration", () => {
  let server: PostgresInstance | undefined;
  afterAll(() => server?.stop());

  it("SQLite: copies Site.tempWarnCelsius into site-level rows and drops the column", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "outpost-thrmig-")), "db.sqlite");
    const url = `file:${file}`;
    migrateSqlite(
      url,
      subset(MIGRATIONS_DIR, (n) => !n.endsWith(MIGRATION)),
    );
    const before = new Database(file);
    for (const s of [threshold(82), threshold(null)]) {
      before
        .prepare(
          `INSERT INTO "Site" (id, slug, name, kind, tempWarnCelsius, updatedAt) VALUES (?, ?, ?, 'store', ?, ?)`,
        )
        .run(s.slug, s.slug, s.slug, s.warn, new Date().toISOString());
    }
    before.close();
    expect(migrateSqlite(url).applied.filter((n) => n.endsWith(MIGRATION))).toHaveLength(1);
    const after = new Database(file);
    const rows = after
      .prepare(`SELECT level, scopeKey, siteId, warnCelsius, criticalCelsius FROM "TemperatureThreshold"`)
      .all();
    const columns = (after.prepare(`PRAGMA table_info("Site")`).all() as { name: string }[]).map(
      (c) => c.name,
    );
    after.close();
    expect(rows).toEqual([
      { level: "site", scopeKey: "own", siteId: "own", warnCelsius: 82, criticalCelsius: null },
    ]);
    expect(columns).not.toContain("tempWarnCelsius");
  });

  it("PostgreSQL: the twin does the same", async () => {
    server = await startPostgres();
    const url = await server.createDatabase("thrmig");
    await migratePostgres(
      url,
      subset(PG_MIGRATIONS_DIR, (n) => !n.includes("_alerts_")),
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of [threshold(82), threshold(null)]) {
        await client.query(
          `INSERT INTO "Site" (id, slug, name, kind, "tempWarnCelsius", "updatedAt") VALUES ($1, $1, $1, 'store', $2, now())`,
          [s.slug, s.warn],
        );
      }
      const result = await migratePostgres(url);
      expect(result.applied.filter((n) => n.endsWith(MIGRATION))).toHaveLength(1);
      const rows = await client.query(
        `SELECT level, "scopeKey", "siteId", "warnCelsius", "criticalCelsius" FROM "TemperatureThreshold"`,
      );
      expect(rows.rows).toEqual([
        { level: "site", scopeKey: "own", siteId: "own", warnCelsius: 82, criticalCelsius: null },
      ]);
      const columns = await client.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'Site'`,
      );
      expect(columns.rows.map((c) => c.column_name)).not.toContain("tempWarnCelsius");
    } finally {
      await client.end();
    }
  }, 60_000);
});
