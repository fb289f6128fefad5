import "server-only";
import { ensureFirstAdmin } from "@/lib/auth/users";
import { startEmbeddedCollector } from "@/lib/collector/run";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { startEmbeddedTelemetryTick } from "@/lib/telemetry/tick/service";

/** Idempotent start-up: configuration check, migrations (inside db()), first admin, collector. */
export async function bootstrap(): Promise<void> {
  const e = env();
  db();
  await ensureFirstAdmin();
  if (e.OUTPOST_COLLECTOR === "embedded") {
    await startEmbeddedCollector();
    // Until the worker host lands (lib/worker), the telemetry tick runs wherever the collector does.
    await startEmbeddedTelemetryTick();
  }
  log.info("outpost ready", {
    dataDir: e.dataDir,
    database: e.databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
  });
}
