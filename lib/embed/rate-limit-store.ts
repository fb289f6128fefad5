import "server-only";
import { db } from "@/lib/db/client";
import { asDate, asInt } from "@/lib/db/rows";
import { RATE_WINDOW_MS, type RateDecision, rateDecision } from "./rate-limit";

// The per-grant window in the database: one statement per embed request counts
// it and reads the result, atomically on both databases (PostgreSQL serialises
// concurrent upserts of one row on its row lock; SQLite has one writer), so two
// instances counting at the same moment both count. A window that is over is
// restarted by the same statement.

export async function takeGrantRate(
  grantId: string,
  limitPerMinute: number,
  now = Date.now(),
): Promise<RateDecision> {
  const at = new Date(now);
  const over = new Date(now - RATE_WINDOW_MS);
  const rows = await db().$queryRaw<{ windowStart: unknown; count: unknown }[]>`
    INSERT INTO "EmbedRateWindow" ("grantId", "windowStart", "count") VALUES (${grantId}, ${at}, 1)
    ON CONFLICT ("grantId") DO UPDATE SET
      "windowStart" = CASE WHEN "EmbedRateWindow"."windowStart" <= ${over} THEN ${at} ELSE "EmbedRateWindow"."windowStart" END,
      "count" = CASE WHEN "EmbedRateWindow"."windowStart" <= ${over} THEN 1 ELSE "EmbedRateWindow"."count" + 1 END
    RETURNING "windowStart", "count"`;
  const row = rows[0];
  if (!row) throw new Error("rate window upsert returned no row");
  return rateDecision(
    { start: asDate(row.windowStart).getTime(), count: asInt(row.count) },
    limitPerMinute,
    now,
  );
}

/** Tests: every grant starts with a fresh window. */
export async function resetGrantRates(): Promise<void> {
  await db().embedRateWindow.deleteMany({});
}
