import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { migratePostgres } from "./migrate-postgres";

// Prisma connects lazily, on the first query: that is when PostgreSQL's
// migrations run (async, unlike SQLite's), so no query ever sees an old schema.
// Migrations run once per process and URL, even with many clients.

const migrated = new Map<string, Promise<unknown>>();

export function migrateOnce(url: string): Promise<unknown> {
  let done = migrated.get(url);
  if (!done) {
    done = migratePostgres(url).catch((err: unknown) => {
      migrated.delete(url); // let the next query try again (database still starting, …)
      throw err;
    });
    migrated.set(url, done);
  }
  return done;
}

export class MigratingPgAdapter extends PrismaPg {
  constructor(
    private readonly url: string,
    pool: Omit<pg.PoolConfig, "connectionString"> = {},
  ) {
    super({ connectionString: url, ...pool });
  }

  override async connect() {
    await migrateOnce(this.url);
    return super.connect();
  }
}
