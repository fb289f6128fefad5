import "server-only";
import { createClient } from "@/lib/db/client";
import { copyDatabase } from "@/lib/db/copy";
import { dialectOf } from "@/lib/db/dialect";

// `npm run outpost -- migrate-to-postgres <postgresql://…>`: moves an SQLite
// installation to PostgreSQL. Stop Outpost first; the copy is one transaction
// on the target, which must be empty (its schema is created here).

/** an instance that sent a heartbeat this recently is taken as running */
const LIVE_WITHIN_MS = 60_000;

export async function migrateToPostgres(opts: {
  from: string;
  to: string;
  force?: boolean;
  write?: (line: string) => void;
}): Promise<number> {
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (dialectOf(opts.from) !== "sqlite") throw new Error("the source must be an SQLite database (file:…)");
  if (dialectOf(opts.to) !== "postgresql") throw new Error("the target must be a postgresql:// URL");
  const source = createClient(opts.from);
  const target = createClient(opts.to);
  try {
    const live = await source.workerInstance.count({
      where: { stoppedAt: null, heartbeatAt: { gte: new Date(Date.now() - LIVE_WITHIN_MS) } },
    });
    if (live > 0 && !opts.force) {
      write(
        `${live} Outpost process(es) still use this database (heartbeat within ${LIVE_WITHIN_MS / 1000} s): stop them first, or pass --force.`,
      );
      return 1;
    }
    let lastModel = "";
    const report = await copyDatabase(source, target, {
      onProgress: (model, rows) => {
        if (model !== lastModel && lastModel) write("");
        lastModel = model;
        if (rows % 5_000 === 0) write(`  ${model}: ${rows} rows…`);
      },
    });
    for (const t of report.tables) write(`${t.model.padEnd(18)} ${t.rows} rows`);
    const total = report.tables.reduce((n, t) => n + t.rows, 0);
    write(`copied ${total} rows in ${(report.ms / 1000).toFixed(1)} s`);
    write(
      "Secrets were copied encrypted: run Outpost on PostgreSQL with the same secret key (OUTPOST_SECRET_KEY, or the data dir's secret.key).",
    );
    return 0;
  } finally {
    await Promise.all([source.$disconnect(), target.$disconnect()]);
  }
}
