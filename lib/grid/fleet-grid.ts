import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { intervalMs, siteHealthInputs } from "@/lib/fleet/health";
import { fleetList } from "@/lib/fleet/list";
import { SITE_KINDS } from "@/lib/fleet/schemas";
import type { SiteStatus } from "@/lib/health/model";
import { type GridTile, siteTiles } from "./tiles";

// The control center's grid for one kind of site (every turbine of every wind
// farm): the sites worst first, a page at a time, each with its clusters as tiles.

export const FLEET_GRID_MAX_SITES = 50;

export const fleetGridQuerySchema = z
  .object({
    kind: z.enum(SITE_KINDS, { message: `one of ${SITE_KINDS.join(", ")}` }),
    offset: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(FLEET_GRID_MAX_SITES).default(12),
  })
  .strict();
export type FleetGridQuery = z.output<typeof fleetGridQuerySchema>;

export interface FleetGridSite {
  siteId: string;
  slug: string;
  name: string;
  status: SiteStatus;
  headline: string;
  tiles: GridTile[];
}

export interface FleetGridPage {
  generatedAt: string;
  kind: string;
  /** sites of this kind, and clusters among them */
  matching: number;
  clusters: number;
  offset: number;
  sites: FleetGridSite[];
}

export async function fleetGrid(q: FleetGridQuery, now = Date.now()): Promise<FleetGridPage> {
  // The page from the fleet summary (worst first, as the list); tiles only for the sites shown.
  const [page, clusters] = await Promise.all([
    fleetList({ status: [], kind: q.kind, offset: q.offset, limit: q.limit }, now),
    db().cluster.count({ where: { site: { kind: q.kind } } }),
  ]);
  const inputs = await siteHealthInputs(
    page.items.map((s) => s.siteId),
    now,
  );
  const interval = intervalMs();
  const bySite = new Map(inputs.map((i) => [i.id, siteTiles(i, now, interval)]));
  return {
    generatedAt: new Date(now).toISOString(),
    kind: q.kind,
    matching: page.matching,
    clusters,
    offset: q.offset,
    sites: page.items.map((s) => ({
      siteId: s.siteId,
      slug: s.slug,
      name: s.name,
      status: s.status,
      headline: s.headline,
      tiles: bySite.get(s.siteId) ?? [],
    })),
  };
}
