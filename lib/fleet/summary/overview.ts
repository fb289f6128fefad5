import "server-only";
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { FleetCounts, SiteStatus } from "@/lib/health/model";
import { SITE_STATUSES } from "@/lib/health/model";
import { siteHealth } from "@/lib/health/site";
import { fleetTelemetryStatus } from "@/lib/telemetry/read";
import type { FleetPage, FleetQuery, FleetSite, MapPoint } from "../health";
import { intervalMs, loadSiteInputs } from "../health-input";
import { ensureSummaryCurrent } from "./freshness";
import { markSitesDue } from "./marks";
import { escapeLike } from "./state";

// The control center's list from the fleet summary: counts, filters, text
// search, labels and paging are indexed queries over one row per site; only the
// page being shown is rendered from its inputs (so "updated 3 s ago" is now).

/**
 * The filter as SQL both dialects read alike. The text filter is a LIKE with
 * ESCAPE, so "%" and "_" in what an operator types are taken literally
 * (Prisma's `contains` leaves them wildcards on SQLite); both sides are
 * lowercased in JavaScript, so SQLite's ASCII-only case folding and
 * PostgreSQL's case-sensitive LIKE agree.
 */
function whereSql(q: FleetQuery): Prisma.Sql {
  const and: Prisma.Sql[] = [];
  if (q.status.length > 0) and.push(Prisma.sql`s."status" IN (${Prisma.join(q.status)})`);
  if (q.kind) and.push(Prisma.sql`s."kind" = ${q.kind}`);
  if (q.label) {
    // Split at the first "=" only: label values may contain "=".
    const eq = q.label.indexOf("=");
    const key = eq >= 0 ? q.label.slice(0, eq) : q.label;
    and.push(
      eq >= 0
        ? Prisma.sql`EXISTS (SELECT 1 FROM "SiteSummaryLabel" l WHERE l."siteId" = s."siteId" AND l."key" = ${key} AND l."value" = ${q.label.slice(eq + 1)})`
        : Prisma.sql`EXISTS (SELECT 1 FROM "SiteSummaryLabel" l WHERE l."siteId" = s."siteId" AND l."key" = ${key})`,
    );
  }
  const text = q.q?.toLowerCase();
  if (text) {
    const like = `%${escapeLike(text)}%`;
    // The escape character as a parameter: a backslash inside the template would be read as an escape.
    const esc = "\\";
    and.push(
      Prisma.sql`(s."nameLower" LIKE ${like} ESCAPE ${esc} OR s."slug" LIKE ${like} ESCAPE ${esc} OR s."searchText" LIKE ${like} ESCAPE ${esc})`,
    );
  }
  return and.length > 0 ? Prisma.sql`WHERE ${Prisma.join(and, " AND ")}` : Prisma.empty;
}

/** compareSiteHealth's order: worst first, newest incident first, then name as people read it, then id. */
export const SUMMARY_ORDER: Prisma.SiteSummaryOrderByWithRelationInput[] = [
  { orderSeverity: "asc" },
  { orderSince: "asc" },
  { nameRank: "asc" },
  { siteId: "asc" },
];
// All ascending: one index serves the order (the id only breaks the rare tie of a site not ranked yet).
const ORDER_SQL = Prisma.sql`s."orderSeverity", s."orderSince", s."nameRank", s."siteId"`;

async function countsOf(): Promise<FleetCounts> {
  const rows = await db().siteSummary.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(SITE_STATUSES.map((s) => [s, 0])) as Record<SiteStatus, number>;
  let total = 0;
  for (const r of rows) {
    if ((SITE_STATUSES as readonly string[]).includes(r.status))
      counts[r.status as SiteStatus] += r._count._all;
    total += r._count._all;
  }
  return { ...counts, total };
}

/** Sites as the list shows them, rendered by the pure model at `now`, in the given order. */
export async function renderSites(ids: readonly string[], now: number): Promise<FleetSite[]> {
  if (ids.length === 0) return [];
  const { sites } = await loadSiteInputs(ids, now);
  const byId = new Map(sites.map((s) => [s.input.id, s]));
  const interval = intervalMs();
  const out: FleetSite[] = [];
  for (const id of ids) {
    const s = byId.get(id);
    if (!s) continue;
    out.push({
      ...siteHealth(s.input, now, interval),
      kind: s.kind,
      labels: s.labels,
      latitude: s.latitude,
      longitude: s.longitude,
    });
  }
  return out;
}

/**
 * A page read from rows whose inputs changed between the summary query and the
 * render (a poll landing in between) is read again: the render is the truth,
 * so the changed rows are marked due, recomputed and the page re-queried.
 */
const PAGE_ATTEMPTS = 3;

/** The fleet list page: exact at `now` (due summary rows are recomputed first), no whole-result cache. */
export async function fleetOverview(q: FleetQuery, now = Date.now()): Promise<FleetPage> {
  const where = whereSql(q);
  for (let attempt = 1; ; attempt++) {
    await ensureSummaryCurrent(now);
    const [counts, matching, page, telemetry] = await Promise.all([
      countsOf(),
      db().$queryRaw<{ n: number | bigint }[]>(
        Prisma.sql`SELECT COUNT(*) AS n FROM "SiteSummary" s ${where}`,
      ),
      db().$queryRaw<{ siteId: string; status: string }[]>(
        Prisma.sql`SELECT s."siteId", s."status" FROM "SiteSummary" s ${where} ORDER BY ${ORDER_SQL} LIMIT ${q.limit} OFFSET ${q.offset}`,
      ),
      fleetTelemetryStatus(now),
    ]);
    const stored = new Map(page.map((p) => [p.siteId, p.status]));
    const items = await renderSites(
      page.map((p) => p.siteId),
      now,
    );
    const moved = items.filter((i) => stored.get(i.siteId) !== i.status).map((i) => i.siteId);
    if (moved.length > 0 && attempt < PAGE_ATTEMPTS) {
      await db().$transaction(markSitesDue(moved));
      continue;
    }
    return {
      generatedAt: new Date(now).toISOString(),
      intervalMs: intervalMs(),
      counts,
      matching: Number(matching[0]?.n ?? 0),
      offset: q.offset,
      // Still moving after the last read (inputs changing faster than a page is
      // read): a filtered list never shows a site outside its filter.
      items: q.status.length > 0 ? items.filter((i) => q.status.includes(i.status)) : items,
      telemetry,
    };
  }
}

/** Every located site with its state, for the map (one narrow indexed read). */
export async function fleetMapPoints(now = Date.now()): Promise<{ generatedAt: string; points: MapPoint[] }> {
  await ensureSummaryCurrent(now);
  // Coordinates from the site itself: the summary holds only what it filters and sorts by.
  const rows = await db().siteSummary.findMany({
    where: { site: { latitude: { not: null }, longitude: { not: null } } },
    orderBy: SUMMARY_ORDER,
    select: {
      siteId: true,
      slug: true,
      name: true,
      status: true,
      site: { select: { latitude: true, longitude: true } },
    },
  });
  return {
    generatedAt: new Date(now).toISOString(),
    points: rows.map((r) => ({
      id: r.siteId,
      slug: r.slug,
      name: r.name,
      status: r.status as SiteStatus,
      latitude: r.site.latitude as number,
      longitude: r.site.longitude as number,
    })),
  };
}
