// database: sqlite only
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createRng } from "@/lib/simulator/prng";
import {
  BIG_QUERIES,
  expectQueriesEqualRollUp,
  expectRowsEqualRollUp,
  T0,
} from "@/lib/testing/summary-checks";
import { createSources, writeRandomSites } from "@/lib/testing/summary-fleet";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { intervalMs } from "../health-input";
import { ensureSummaryCurrent, refreshAhead } from "./freshness";

// Scale, on SQLite (the random-fleet equality runs on both databases): a generated
// 10,000-site fleet near every threshold, summary = pure roll-up now and after
// ten minutes in which nothing happened but time.

let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_TELEMETRY_TICK_SECONDS: "10" })).cleanup;
});

afterAll(async () => {
  await cleanup?.();
});

describe("incremental fleet summary at 10,000 sites", () => {
  it("on a generated 10,000-site fleet, now and ten minutes later with no event at all", async () => {
    const rng = createRng(10_000);
    await createSources(T0);
    await writeRandomSites(rng, 10_000, T0, intervalMs());
    await refreshAhead(() => T0);
    expect(await expectRowsEqualRollUp(T0)).toBe(10_000);
    await expectQueriesEqualRollUp(T0, BIG_QUERIES);
    // Ten minutes on: every fresh cluster went stale, sentences moved on; only time changed.
    const later = T0 + 10 * 60_000;
    await db().telemetrySourceStatus.update({
      where: { sourceId: "src-current" },
      data: { lastOkAt: new Date(later), lastTickAt: new Date(later) },
    });
    await refreshAhead(() => later);
    await ensureSummaryCurrent(later);
    expect(await expectRowsEqualRollUp(later)).toBe(10_000);
    await expectQueriesEqualRollUp(later, BIG_QUERIES);
  }, 240_000);
});
