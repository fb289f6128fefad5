import "server-only";
import { db } from "@/lib/db/client";
import { SITE_KINDS, type SiteKind } from "@/lib/fleet/schemas";

export interface FleetSummary {
  siteCount: number;
  clusterCount: number;
  sitesByKind: Record<SiteKind, number>;
  /** clusters whose client certificate expires within the warning window */
  expiringCertCount: number;
}

/** Counts for the fleet page: two indexed aggregate queries, whatever the fleet size. */
export async function fleetSummary(certWarningDays: number): Promise<FleetSummary> {
  const soon = new Date(Date.now() + certWarningDays * 86_400_000);
  const [byKind, clusterCount, expiringCertCount] = await Promise.all([
    db().site.groupBy({ by: ["kind"], _count: { _all: true } }),
    db().cluster.count(),
    db().cluster.count({ where: { certNotAfter: { lte: soon } } }),
  ]);
  const sitesByKind = Object.fromEntries(SITE_KINDS.map((k) => [k, 0])) as Record<SiteKind, number>;
  let siteCount = 0;
  for (const row of byKind) {
    const kind = (SITE_KINDS as readonly string[]).includes(row.kind) ? (row.kind as SiteKind) : "other";
    sitesByKind[kind] += row._count._all;
    siteCount += row._count._all;
  }
  return { siteCount, clusterCount, sitesByKind, expiringCertCount };
}
