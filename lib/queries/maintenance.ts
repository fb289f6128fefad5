import type { MaintenanceInput } from "@/lib/maintenance/schemas";
import type { MaintenanceView, SiteMaintenanceState } from "@/lib/maintenance/store";
import { apiFetch } from "./api";

export type { MaintenanceView, SiteMaintenanceState };

export interface ActiveMaintenance {
  generatedAt: string;
  /** soonest end first */
  items: (MaintenanceView & { siteSlug: string; siteName: string })[];
}

/** Maintenance changes when an operator acts (and the page refetches then); the poll catches other screens. */
export const MAINTENANCE_POLL_MS = 30_000;

export const maintenanceKeys = {
  all: ["maintenance"] as const,
  active: () => [...maintenanceKeys.all, "active"] as const,
  site: (idOrSlug: string) => [...maintenanceKeys.all, "site", idOrSlug] as const,
};

export function fetchActiveMaintenance(signal?: AbortSignal): Promise<ActiveMaintenance> {
  return apiFetch<ActiveMaintenance>("/api/maintenance", { signal });
}

export function fetchSiteMaintenance(idOrSlug: string, signal?: AbortSignal): Promise<SiteMaintenanceState> {
  return apiFetch<SiteMaintenanceState>(`/api/sites/${encodeURIComponent(idOrSlug)}/maintenance`, { signal });
}

export function startMaintenance(
  idOrSlug: string,
  input: MaintenanceInput,
): Promise<{ maintenance: MaintenanceView }> {
  return apiFetch(`/api/sites/${encodeURIComponent(idOrSlug)}/maintenance`, { method: "POST", body: input });
}

export function endMaintenance(idOrSlug: string, id: string): Promise<{ maintenance: MaintenanceView }> {
  return apiFetch(`/api/sites/${encodeURIComponent(idOrSlug)}/maintenance/${encodeURIComponent(id)}`, {
    method: "DELETE",
  });
}
