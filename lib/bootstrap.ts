import "server-only";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { startEmbeddedCollector } from "@/lib/collector/run";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { startRetention } from "@/lib/retention/service";

/** Idempotent start-up: configuration check, migrations (inside db()), first admin, collector. */
export async function bootstrap(): Promise<void> {
  const e = env();
  db();
  await ensureFirstAdmin();
  if (e.OUTPOST_COLLECTOR === "embedded") {
    await startEmbeddedCollector();
    // Until lib/worker hosts background services, retention runs where the collector does.
    startEmbeddedRetention();
  }
  log.info("outpost ready", {
    dataDir: e.dataDir,
    database: e.databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
  });
}

const globalForRetention = globalThis as unknown as { outpostRetention?: ReturnType<typeof startRetention> };

function startEmbeddedRetention(): void {
  globalForRetention.outpostRetention ??= startRetention();
}
