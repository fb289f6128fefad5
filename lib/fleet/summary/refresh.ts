import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { nextStateChangeAt } from "@/lib/health/next-change";
import { siteHealth } from "@/lib/health/site";
import { sourceCurrencies } from "@/lib/telemetry/read";
import { invalidateThresholdChain } from "@/lib/thresholds/store";
import { intervalMs, type LoadedSite, loadSiteInputs } from "../health-input";
import { assignRanks } from "./rank";
import { searchTextOf, sinceSortOf } from "./state";

// Recomputes the summary rows that are due: marked by a change (nextChangeAt 0),
// past the instant their state changes by time alone, or judged with telemetry
// from a data source that has since stopped answering. Each row is written only
// if its version still matches the one read before its inputs, so a change that
// lands meanwhile keeps the row due instead of being overwritten.

/** Rows recomputed per pass; a bulk change (a fleet imported, a data source edited) takes a few passes. */
export const REFRESH_BATCH = 1_000;
/** Rows are recomputed this long before their instant, so a request rarely finds one due. */
export const REFRESH_LOOKAHEAD_MS = 2_000;
/** Labels rows per createMany. */
const LABEL_CHUNK = 500;

export interface RefreshResult {
  /** rows recomputed */
  computed: number;
  /** rows written (the others changed while they were computed and stay due) */
  written: number;
  /** rows still due after this pass (a bulk change) */
  remaining: boolean;
}

/** Rows for sites that have none yet (new sites), due at once; one statement, safe to race. */
async function ensureRows(): Promise<void> {
  await db().$executeRaw(
    Prisma.sql`INSERT INTO "SiteSummary" ("siteId") SELECT s."id" FROM "Site" s WHERE NOT EXISTS (SELECT 1 FROM "SiteSummary" x WHERE x."siteId" = s."id") ON CONFLICT ("siteId") DO NOTHING`,
  );
}

/**
 * Due: past its instant, or judged with telemetry of a source that has since
 * gone stale or been deleted (both happen with no event on the site itself).
 */
function dueWhere(
  now: number,
  lookaheadMs: number,
  staleSources: readonly string[],
): Prisma.SiteSummaryWhereInput {
  const or: Prisma.SiteSummaryWhereInput[] = [
    { nextChangeAt: { lte: now } },
    // Deleting a data source sets this to null (foreign key): its sites lost their telemetry.
    { hasTelemetry: true, telemetrySourceId: null },
  ];
  if (staleSources.length > 0) or.push({ hasTelemetry: true, telemetrySourceId: { in: [...staleSources] } });
  // Ahead of time, once per instant: a row already computed for this instant would only come out the same.
  if (lookaheadMs > 0)
    or.push({
      nextChangeAt: { lte: now + lookaheadMs },
      OR: [{ computedAt: null }, { computedAt: { lt: now } }],
    });
  return { OR: or };
}

/**
 * Whether any row is due at `now`: what a request checks before it answers.
 * Separate indexed lookups (an OR over them would scan), and counts for rows
 * not created yet (deletes cascade, so equal counts mean none is missing).
 */
export async function hasDueRows(now: number): Promise<boolean> {
  const { stale } = await sourceCurrencies(now);
  const checks: Promise<boolean>[] = [
    Promise.all([db().site.count(), db().siteSummary.count()]).then(([sites, rows]) => sites !== rows),
    db()
      .siteSummary.findFirst({ where: { nextChangeAt: { lte: now } }, select: { siteId: true } })
      .then((r) => r !== null),
    db()
      .siteSummary.findFirst({
        where: { hasTelemetry: true, telemetrySourceId: null },
        select: { siteId: true },
      })
      .then((r) => r !== null),
  ];
  if (stale.length > 0)
    checks.push(
      db()
        .siteSummary.findFirst({
          where: { hasTelemetry: true, telemetrySourceId: { in: stale } },
          select: { siteId: true },
        })
        .then((r) => r !== null),
    );
  return (await Promise.all(checks)).some(Boolean);
}

/** Columns a recomputation writes, in this order (the version is the one read: the write's condition). */
const COLUMNS = [
  "siteId",
  "version",
  "nextChangeAt",
  "computedAt",
  "status",
  "severity",
  "sinceSort",
  "orderSeverity",
  "orderSince",
  "nameRank",
  "name",
  "nameLower",
  "slug",
  "kind",
  "labels",
  "axisReach",
  "axisCondition",
  "axisTelemetry",
  "counts",
  "reasons",
  "searchText",
  "telemetrySourceId",
  "hasTelemetry",
] as const;
/** Rows per statement: 23 columns × 200 stays well inside both dialects' parameter limits. */
const WRITE_CHUNK = 200;

function rowValues(
  site: LoadedSite,
  version: number,
  nameRank: number,
  now: number,
  interval: number,
): unknown[] {
  const h = siteHealth(site.input, now, interval);
  const next = nextStateChangeAt(site.input, now, interval, h.reasons.length > 0);
  return [
    site.input.id,
    version,
    Number.isFinite(next) ? next : Number.MAX_SAFE_INTEGER,
    now,
    h.status,
    h.severity,
    sinceSortOf(h.since),
    -h.severity,
    -sinceSortOf(h.since),
    nameRank,
    site.input.name,
    site.input.name.toLowerCase(),
    site.input.slug,
    site.kind,
    site.labelsText,
    h.axes.reach,
    h.axes.condition,
    h.axes.telemetry,
    JSON.stringify(h.counts),
    JSON.stringify(h.reasons),
    searchTextOf(h),
    site.telemetrySourceId,
    site.input.telemetry !== undefined,
  ];
}

/**
 * One multi-row upsert per chunk, each row written only where the stored
 * version is still the one read (a change that landed meanwhile keeps it due).
 * Prisma issues one statement per row otherwise, about 20× slower.
 */
function upsertRows(rows: unknown[][]): Prisma.PrismaPromise<number> {
  const columns = Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(", "));
  const updates = Prisma.raw(
    COLUMNS.filter((c) => c !== "siteId" && c !== "version")
      .map((c) => `"${c}" = excluded."${c}"`)
      .join(", "),
  );
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(r)})`));
  return db()
    .$executeRaw`INSERT INTO "SiteSummary" (${columns}) VALUES ${values} ON CONFLICT ("siteId") DO UPDATE SET ${updates} WHERE "SiteSummary"."version" = excluded."version"`;
}

/**
 * One pass over due rows (or the given sites) at `now`. The fleet summary is
 * exact at `now` once no row is due.
 */
export async function refreshSummaries(
  now: number,
  options: { lookaheadMs?: number; limit?: number; siteIds?: readonly string[] } = {},
): Promise<RefreshResult> {
  const limit = options.limit ?? REFRESH_BATCH;
  await ensureRows();
  const { stale } = await sourceCurrencies(now);
  const where: Prisma.SiteSummaryWhereInput = options.siteIds
    ? { siteId: { in: [...options.siteIds] } }
    : dueWhere(now, options.lookaheadMs ?? REFRESH_LOOKAHEAD_MS, stale);
  // Versions first, inputs second: a change committed in between bumps the version and voids the write.
  const due = await db().siteSummary.findMany({
    where,
    select: { siteId: true, version: true, name: true, nameRank: true, labels: true },
    orderBy: { nextChangeAt: "asc" },
    take: limit + 1,
  });
  const remaining = due.length > limit;
  const rows = due.slice(0, limit);
  if (rows.length === 0) return { computed: 0, written: 0, remaining: false };
  // "Hot" as stored now: another process may have changed a threshold within the chain's cache time.
  invalidateThresholdChain();
  const { sites } = await loadSiteInputs(
    rows.map((r) => r.siteId),
    now,
  );
  const byId = new Map(sites.map((s) => [s.input.id, s]));
  const interval = intervalMs();

  const toRank = rows.filter((r) => {
    const site = byId.get(r.siteId);
    return site && (r.nameRank === 0 || r.name !== site.input.name);
  });
  let ranks = new Map<string, number>();
  if (toRank.length > 0) {
    const skip = new Set(toRank.map((r) => r.siteId));
    const ranked = (
      await db().siteSummary.findMany({
        where: { nameRank: { gt: 0 } },
        select: { siteId: true, name: true, nameRank: true },
        orderBy: { nameRank: "asc" },
      })
    ).filter((r) => !skip.has(r.siteId));
    const result = assignRanks(
      ranked.map((r) => ({ id: r.siteId, name: r.name, rank: r.nameRank })),
      toRank.map((r) => ({ id: r.siteId, name: byId.get(r.siteId)?.input.name ?? r.name })),
    );
    ranks = result.ranks;
    if (result.isRenumbered) {
      // The gaps ran out: every other site moves too (rare; unconditional, ranks depend on names only).
      const moved = [...ranks].filter(([id]) => !skip.has(id));
      const ops: Prisma.PrismaPromise<number>[] = [];
      for (let i = 0; i < moved.length; i += WRITE_CHUNK) {
        const values = Prisma.join(
          moved.slice(i, i + WRITE_CHUNK).map(([id, rank]) => Prisma.sql`(${id}, ${rank})`),
        );
        ops.push(
          db()
            .$executeRaw`INSERT INTO "SiteSummary" ("siteId", "nameRank") VALUES ${values} ON CONFLICT ("siteId") DO UPDATE SET "nameRank" = excluded."nameRank"`,
        );
      }
      await db().$transaction(ops);
    }
  }

  const values: unknown[][] = [];
  const labelSites: string[] = [];
  const labelRows: { id: string; siteId: string; key: string; value: string }[] = [];
  for (const r of rows) {
    const site = byId.get(r.siteId);
    if (!site) continue; // deleted meanwhile: the row went with it
    values.push(rowValues(site, r.version, ranks.get(r.siteId) ?? r.nameRank, now, interval));
    if (site.labelsText !== r.labels) {
      labelSites.push(r.siteId);
      for (const [key, value] of Object.entries(site.labels))
        labelRows.push({ id: `${r.siteId}\u001f${key}`, siteId: r.siteId, key, value });
    }
  }
  const ops: Prisma.PrismaPromise<unknown>[] = [];
  for (let i = 0; i < values.length; i += WRITE_CHUNK) ops.push(upsertRows(values.slice(i, i + WRITE_CHUNK)));
  const upserts = ops.length;
  for (let i = 0; i < labelSites.length; i += LABEL_CHUNK)
    ops.push(
      db().siteSummaryLabel.deleteMany({ where: { siteId: { in: labelSites.slice(i, i + LABEL_CHUNK) } } }),
    );
  if (labelRows.length > 0) {
    for (let i = 0; i < labelRows.length; i += LABEL_CHUNK)
      ops.push(db().siteSummaryLabel.createMany({ data: labelRows.slice(i, i + LABEL_CHUNK) }));
  }
  const results = await db().$transaction(ops);
  let written = 0;
  for (const res of results.slice(0, upserts)) written += Number(res);
  return { computed: rows.length, written, remaining };
}
