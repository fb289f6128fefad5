import "server-only";
import { maintenanceForSites } from "@/lib/maintenance/store";

// Site maintenance is alerts' switch (start, end, reason); deploy only asks
// which of some sites are in maintenance now, through this one function.

export interface MaintenanceNow {
  reason: string;
  endsAt: number | null;
}

export type MaintenanceLookup = (siteIds: string[], now: number) => Promise<Map<string, MaintenanceNow>>;

let override: MaintenanceLookup | null = null;

/** Sites of `siteIds` in maintenance at `now` (alerts' `maintenanceForSites`). */
export async function maintenanceNow(siteIds: string[], now: number): Promise<Map<string, MaintenanceNow>> {
  if (override) return override(siteIds, now);
  const out = new Map<string, MaintenanceNow>();
  if (siteIds.length === 0) return out;
  for (const [siteId, w] of await maintenanceForSites(siteIds, now))
    out.set(siteId, { reason: w.reason, endsAt: w.endsAt });
  return out;
}

/** Tests: where maintenance comes from instead of the SiteMaintenance table. */
export function setMaintenanceLookup(lookup: MaintenanceLookup | null): void {
  override = lookup;
}
