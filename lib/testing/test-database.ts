// Which database the current vitest project tests against, and fresh
// PostgreSQL databases for it. The "postgresql" project's global setup
// (lib/testing/postgres-global-setup.ts) starts one server and a migrated
// template database; each test file copies the template (fast).
import pg from "pg";

export type TestDialect = "sqlite" | "postgresql";

export const TEST_DATABASE_ENV = "OUTPOST_TEST_DATABASE";
export const TEMPLATE_DATABASE = "outpost_template";

export function testDatabaseDialect(): TestDialect {
  return process.env[TEST_DATABASE_ENV] === "postgresql" ? "postgresql" : "sqlite";
}

async function adminUrl(): Promise<string> {
  const { inject } = await import("vitest");
  const url = (inject as (key: string) => unknown)("postgresAdminUrl");
  if (typeof url !== "string")
    throw new Error("no PostgreSQL test server: run through vitest's postgresql project");
  return url;
}

let counter = 0;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database copied from the migrated template; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const base = await adminUrl();
  const name = `t_${process.pid}_${Date.now().toString(36)}_${++counter}`;
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template; retry briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
      break;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
