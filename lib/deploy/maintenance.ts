import "server-only";

// Site maintenance is alerts' switch (start, end, reason); deploy only asks
// which of some sites are in maintenance now. One function, so the day alerts'
// `maintenanceForSites` lands only this file changes.

export interface MaintenanceNow {
  reason: string;
  endsAt: number | null;
}

export type MaintenanceLookup = (siteIds: string[], now: number) => Promise<Map<string, MaintenanceNow>>;

let override: MaintenanceLookup | null = null;

/** Sites of `siteIds` in maintenance at `now`. */
export async function maintenanceNow(siteIds: string[], now: number): Promise<Map<string, MaintenanceNow>> {
  if (override) return override(siteIds, now);
  return new Map();
}

/** Tests and the alerts integration point: where maintenance comes from. */
export function setMaintenanceLookup(lookup: MaintenanceLookup | null): void {
  override = lookup;
}
