import "server-only";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { startEmbeddedWorker } from "@/lib/worker/embedded";

/** Idempotent start-up: configuration check, migrations (inside db()), first admin, worker host. */
export async function bootstrap(): Promise<void> {
  const e = env();
  db();
  await ensureFirstAdmin().catch(async (err) => {
    // Two instances starting at once on an empty database both find no user and
    // both create the first admin: one insert wins, the other hits the unique
    // index. That one starts too, with the winner's admin.
    if ((await db().user.count()) > 0) return log.info("first admin created by another instance");
    throw err;
  });
  const worker = await startEmbeddedWorker();
  log.info("outpost ready", {
    dataDir: e.dataDir,
    database: e.databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
    instance: worker.instanceId,
    worker: e.workerMode,
  });
}
