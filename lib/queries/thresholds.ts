import type { ThresholdScope } from "@/lib/thresholds/schemas";
import type { FleetThresholds, SiteThresholds, StoredThreshold } from "@/lib/thresholds/store";
import { apiFetch } from "./api";

export type { FleetThresholds, SiteThresholds, StoredThreshold, ThresholdScope };

/** Thresholds change when someone edits them (the page refetches then); a slow poll catches other screens. */
export const THRESHOLDS_POLL_MS = 60_000;

export const thresholdKeys = {
  all: ["thresholds"] as const,
  fleet: () => [...thresholdKeys.all, "fleet"] as const,
  site: (idOrSlug: string) => [...thresholdKeys.all, "site", idOrSlug] as const,
};

export function fetchSiteThresholds(idOrSlug: string, signal?: AbortSignal): Promise<SiteThresholds> {
  return apiFetch<SiteThresholds>(`/api/alerts/thresholds?site=${encodeURIComponent(idOrSlug)}`, { signal });
}

export function fetchFleetThresholds(signal?: AbortSignal): Promise<FleetThresholds> {
  return apiFetch<FleetThresholds>("/api/alerts/thresholds", { signal });
}

export function setThreshold(
  scope: ThresholdScope,
  warnCelsius: number,
  criticalCelsius: number | null = null,
): Promise<{ threshold: StoredThreshold }> {
  return apiFetch("/api/alerts/thresholds", { method: "PUT", body: { scope, warnCelsius, criticalCelsius } });
}

export function clearThreshold(scope: ThresholdScope): Promise<{ removed: boolean }> {
  return apiFetch("/api/alerts/thresholds", { method: "DELETE", body: { scope } });
}
