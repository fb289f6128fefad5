// vitest globalSetup of the "postgresql" project: one throw-away PostgreSQL
// server for the run, with a migrated template database that every test file
// copies (lib/testing/test-database.ts).
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migratePostgres } from "@/lib/db/migrate-postgres";
import { startPostgres } from "./postgres";
import { TEMPLATE_DATABASE } from "./test-database";

declare module "vitest" {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  await client.end();
  await migratePostgres(server.urlFor(TEMPLATE_DATABASE));
  project.provide("postgresAdminUrl", server.url);
  return () => server.stop();
}
