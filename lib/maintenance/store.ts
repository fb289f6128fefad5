import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type MaintenanceInput, maintenanceInputSchema } from "./schemas";
import {
  activeMaintenance,
  activeMaintenanceBySite,
  type MaintenanceWindow,
  nextMaintenance,
} from "./windows";

// Site maintenance in the database. Alerts ask `maintenanceForSites` to mute
// notifications, deploy asks it to hold targets, the fleet page counts it.

/** A chunk of site ids per query: bounded parameter lists on SQLite and PostgreSQL alike. */
const ID_CHUNK = 500;
/** How many ended windows the site page lists. */
const RECENT = 10;

export interface MaintenanceView extends MaintenanceWindow {
  createdAt: number;
  endedAt: number | null;
}

type Row = Prisma.SiteMaintenanceGetPayload<object>;

function toView(r: Row): MaintenanceView {
  return {
    id: r.id,
    siteId: r.siteId,
    startsAt: r.startsAt.getTime(),
    endsAt: r.endsAt.getTime(),
    reason: r.reason,
    createdBy: r.createdByName,
    endedBy: r.endedByName,
    createdAt: r.createdAt.getTime(),
    endedAt: r.endedAt?.getTime() ?? null,
  };
}

/**
 * The active window per site at `now`. `siteIds` null asks for the whole
 * fleet: one query over the (few) windows in force, however many sites there are.
 */
export async function maintenanceForSites(
  siteIds: readonly string[] | null,
  now = Date.now(),
): Promise<Map<string, MaintenanceView>> {
  const at = new Date(now);
  const active = { startsAt: { lte: at }, endsAt: { gt: at } };
  if (siteIds === null) {
    const rows = await db().siteMaintenance.findMany({ where: active });
    return activeMaintenanceBySite(rows.map(toView), now);
  }
  const out = new Map<string, MaintenanceView>();
  for (let i = 0; i < siteIds.length; i += ID_CHUNK) {
    const chunk = siteIds.slice(i, i + ID_CHUNK);
    const rows = await db().siteMaintenance.findMany({ where: { ...active, siteId: { in: chunk } } });
    for (const [k, v] of activeMaintenanceBySite(rows.map(toView), now)) out.set(k, v);
  }
  return out;
}

/** Windows that overlap [from, to): late data is judged by the maintenance in force when it happened. */
export async function maintenanceBetween(
  siteIds: readonly string[],
  from: number,
  to: number,
): Promise<MaintenanceView[]> {
  const out: MaintenanceView[] = [];
  for (let i = 0; i < siteIds.length; i += ID_CHUNK) {
    const rows = await db().siteMaintenance.findMany({
      where: {
        siteId: { in: siteIds.slice(i, i + ID_CHUNK) },
        startsAt: { lt: new Date(to) },
        endsAt: { gt: new Date(from) },
      },
    });
    out.push(...rows.map(toView));
  }
  return out;
}

export interface SiteMaintenanceState {
  active: MaintenanceView | null;
  next: MaintenanceView | null;
  /** planned windows that have not started yet, soonest first */
  upcoming: MaintenanceView[];
  /** ended windows, newest first */
  recent: MaintenanceView[];
}

export async function siteMaintenance(siteId: string, now = Date.now()): Promise<SiteMaintenanceState> {
  const at = new Date(now);
  const [open, ended] = await Promise.all([
    db().siteMaintenance.findMany({ where: { siteId, endsAt: { gt: at } }, orderBy: { startsAt: "asc" } }),
    db().siteMaintenance.findMany({
      where: { siteId, endsAt: { lte: at } },
      orderBy: { endsAt: "desc" },
      take: RECENT,
    }),
  ]);
  const views = open.map(toView);
  return {
    active: activeMaintenance(views, now),
    next: nextMaintenance(views, now),
    upcoming: views.filter((w) => w.startsAt > now),
    recent: ended.map(toView),
  };
}

/** The site's id from its id or slug (routes take either). */
export async function requireSiteId(idOrSlug: string): Promise<string> {
  const site = await db().site.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    select: { id: true },
  });
  if (!site) throw new AppError("not_found", "Site not found");
  return site.id;
}

export async function startMaintenance(
  siteId: string,
  raw: MaintenanceInput,
  actor: { userId: string | null; username: string },
  now = Date.now(),
): Promise<MaintenanceView> {
  const input = maintenanceInputSchema.parse(raw);
  const startsAt = input.startsAt ? Date.parse(input.startsAt) : now;
  const endsAt = input.endsAt ? Date.parse(input.endsAt) : startsAt + (input.durationMinutes ?? 0) * 60_000;
  if (endsAt <= now) {
    throw new AppError("validation_failed", "Maintenance would already be over", {
      issues: [{ path: "endsAt", message: "must be in the future" }],
    });
  }
  const row = await db().siteMaintenance.create({
    data: {
      siteId,
      startsAt: new Date(startsAt),
      endsAt: new Date(endsAt),
      reason: input.reason,
      createdById: actor.userId,
      createdByName: actor.username,
    },
  });
  return toView(row);
}

/**
 * Ends an active window now, or cancels a planned one (its end moves to its
 * start, so it never was in force). History keeps both.
 */
export async function endMaintenance(
  siteId: string,
  id: string,
  actor: { username: string },
  now = Date.now(),
): Promise<MaintenanceView> {
  const row = await db().siteMaintenance.findFirst({ where: { id, siteId } });
  if (!row) throw new AppError("not_found", "Maintenance window not found");
  if (row.endsAt.getTime() <= now) throw new AppError("conflict", "This maintenance window is already over");
  const end = Math.max(row.startsAt.getTime(), now);
  const updated = await db().siteMaintenance.update({
    where: { id },
    data: { endsAt: new Date(end), endedAt: new Date(now), endedByName: actor.username },
  });
  return toView(updated);
}
