import "server-only";
import { z } from "zod";
import { db, transaction } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { clearThreshold, setThreshold, siteLevelCelsius } from "@/lib/thresholds/store";
import {
  labelsSchema,
  offlineWindowSchema,
  SITE_KINDS,
  type SiteInput,
  type SiteKind,
  siteInputSchema,
  slugify,
} from "./schemas";
import { markSitesDue } from "./summary/marks";

export interface SiteView {
  id: string;
  slug: string;
  name: string;
  kind: SiteKind;
  latitude: number | null;
  longitude: number | null;
  labels: Record<string, string>;
  contactMode: "continuous" | "intermittent";
  expectedOfflineWindows: z.infer<typeof offlineWindowSchema>[];
  maxSilenceMinutes: number | null;
  /** the site level of the threshold chain (lib/thresholds/chain.ts); null = inherits */
  tempWarnCelsius: number | null;
  dataSourceId: string | null;
  clusterCount: number;
  createdAt: string;
  updatedAt: string;
}

type SiteRow = Prisma.SiteGetPayload<{ include: { _count: { select: { clusters: true } } } }>;

function parseJson<T>(text: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const r = schema.safeParse(JSON.parse(text));
    return r.success ? r.data : fallback;
  } catch {
    return fallback;
  }
}

export function toSiteView(row: SiteRow, siteCelsius: number | null = null): SiteView {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind as SiteKind,
    latitude: row.latitude,
    longitude: row.longitude,
    labels: parseJson(row.labels, labelsSchema, {}),
    contactMode: row.contactMode === "intermittent" ? "intermittent" : "continuous",
    expectedOfflineWindows: parseJson(row.expectedOfflineWindows, z.array(offlineWindowSchema), []),
    maxSilenceMinutes: row.maxSilenceMinutes,
    tempWarnCelsius: siteCelsius,
    dataSourceId: row.dataSourceId,
    clusterCount: row._count.clusters,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const withCount = { _count: { select: { clusters: true } } } as const;

/** The form's "hot above" is the site level of the threshold chain: absent leaves it, null clears it. */
async function writeSiteLevel(
  tx: Prisma.TransactionClient,
  siteId: string,
  celsius: number | null | undefined,
): Promise<number | null> {
  if (celsius === undefined) return (await siteLevelCelsius([siteId], tx)).get(siteId) ?? null;
  if (celsius === null) {
    await clearThreshold({ level: "site", siteId }, tx);
    return null;
  }
  await setThreshold({ level: "site", siteId }, { warnCelsius: celsius, criticalCelsius: null }, null, tx);
  return celsius;
}

async function withSiteLevels(rows: SiteRow[]): Promise<SiteView[]> {
  const levels = await siteLevelCelsius(rows.map((r) => r.id));
  return rows.map((r) => toSiteView(r, levels.get(r.id) ?? null));
}

/** The one mapping from validated site input to its row: single create, update and bulk import. */
export function siteData(input: z.output<typeof siteInputSchema>) {
  return {
    name: input.name,
    kind: input.kind,
    latitude: input.latitude ?? null,
    longitude: input.longitude ?? null,
    labels: JSON.stringify(input.labels),
    contactMode: input.contactMode,
    expectedOfflineWindows: JSON.stringify(input.expectedOfflineWindows),
    maxSilenceMinutes: input.maxSilenceMinutes ?? null,
    dataSourceId: input.dataSourceId ?? null,
  };
}

export async function checkDataSource(id: string | null | undefined): Promise<void> {
  if (id && !(await db().dataSource.findUnique({ where: { id }, select: { id: true } }))) {
    throw new AppError("validation_failed", "Data source not found", {
      issues: [{ path: "dataSourceId", message: "choose an existing data source" }],
    });
  }
}

async function uniqueSlug(base: string): Promise<string> {
  const taken = new Set(
    (await db().site.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map(
      (s) => s.slug,
    ),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base.slice(0, 60)}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export async function createSite(raw: SiteInput): Promise<SiteView> {
  const input = siteInputSchema.parse(raw);
  await checkDataSource(input.dataSourceId);
  const slug = input.slug ?? (await uniqueSlug(slugify(input.name)));
  if (input.slug && (await db().site.findUnique({ where: { slug } }))) {
    throw new AppError("conflict", `A site with slug "${slug}" already exists`, {
      issues: [{ path: "slug", message: "already taken" }],
    });
  }
  return transaction(async (tx) => {
    const row = await tx.site.create({ data: { ...siteData(input), slug }, include: withCount });
    return toSiteView(row, await writeSiteLevel(tx, row.id, input.tempWarnCelsius ?? null));
  });
}

export async function updateSite(id: string, raw: SiteInput): Promise<SiteView> {
  const input = siteInputSchema.parse(raw);
  await checkDataSource(input.dataSourceId);
  const existing = await db().site.findUnique({ where: { id } });
  if (!existing) throw new AppError("not_found", "Site not found");
  if (
    input.slug &&
    input.slug !== existing.slug &&
    (await db().site.findUnique({ where: { slug: input.slug } }))
  ) {
    throw new AppError("conflict", `A site with slug "${input.slug}" already exists`, {
      issues: [{ path: "slug", message: "already taken" }],
    });
  }
  return transaction(async (tx) => {
    const row = await tx.site.update({
      where: { id },
      data: { ...siteData(input), slug: input.slug ?? existing.slug },
      include: withCount,
    });
    const celsius = await writeSiteLevel(tx, row.id, input.tempWarnCelsius);
    // The fleet summary recomputes the site (name, kind, labels, windows, threshold may all have changed).
    for (const mark of markSitesDue([id], tx)) await mark;
    return toSiteView(row, celsius);
  });
}

export async function deleteSite(id: string): Promise<void> {
  const { count } = await db().site.deleteMany({ where: { id } });
  if (count === 0) throw new AppError("not_found", "Site not found");
}

export async function getSite(idOrSlug: string): Promise<SiteView | null> {
  const row = await db().site.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    include: withCount,
  });
  return row ? ((await withSiteLevels([row]))[0] ?? null) : null;
}

export const siteListQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(SITE_KINDS).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const cursorSchema = z.object({ name: z.string(), id: z.string() });

function encodeCursor(row: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify({ name: row.name, id: row.id })).toString("base64url");
}

function decodeCursor(cursor: string): z.infer<typeof cursorSchema> {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new AppError("validation_failed", "Invalid cursor", {
      issues: [{ path: "cursor", message: "use nextCursor from a previous page" }],
    });
  }
}

/** `text` as a LIKE pattern that matches it literally anywhere: % _ and \ are escaped. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Keyset-paged by (name, id) so a 10,000-site fleet never loads at once; the
 * cursor carries the values, so deleting the last row of a page cannot end paging.
 * The filter is SQL of its own because Prisma's `contains` leaves LIKE wildcards
 * unescaped (`q=%` would match every site); the SQL is the same on SQLite and PostgreSQL.
 */
export async function listSites(
  query: z.input<typeof siteListQuerySchema>,
): Promise<{ items: SiteView[]; nextCursor: string | null; total: number }> {
  const q = siteListQuerySchema.parse(query);
  const conditions: Prisma.Sql[] = [];
  if (q.kind) conditions.push(Prisma.sql`"kind" = ${q.kind}`);
  if (q.q) {
    const pattern = containsPattern(q.q.toLowerCase());
    conditions.push(
      Prisma.sql`(lower("name") LIKE ${pattern} ESCAPE ${"\\"} OR "slug" LIKE ${pattern} ESCAPE ${"\\"})`,
    );
  }
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const after = q.cursor ? decodeCursor(q.cursor) : null;
  const page = after
    ? Prisma.sql`("name" > ${after.name} OR ("name" = ${after.name} AND "id" > ${after.id}))`
    : null;
  const pageWhere = page ? Prisma.sql`WHERE ${Prisma.join([...conditions, page], " AND ")}` : where;
  const [idRows, countRows] = await Promise.all([
    db().$queryRaw<
      { id: string }[]
    >`SELECT "id" FROM "Site" ${pageWhere} ORDER BY "name" ASC, "id" ASC LIMIT ${q.limit + 1}`,
    db().$queryRaw<{ n: bigint | number }[]>`SELECT COUNT(*) AS "n" FROM "Site" ${where}`,
  ]);
  const ids = idRows.map((r) => r.id);
  const found = new Map(
    (await db().site.findMany({ where: { id: { in: ids } }, include: withCount })).map((r) => [r.id, r]),
  );
  const rows = ids.flatMap((id) => {
    const row = found.get(id);
    return row ? [row] : [];
  });
  const shown = rows.slice(0, q.limit);
  const last = shown.at(-1);
  return {
    items: await withSiteLevels(shown),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null,
    total: Number(countRows[0]?.n ?? 0),
  };
}

export async function siteOptions(): Promise<{ id: string; name: string; slug: string }[]> {
  return db().site.findMany({ select: { id: true, name: true, slug: true }, orderBy: { name: "asc" } });
}
