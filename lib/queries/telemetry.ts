import type { TelemetryRange } from "@/lib/telemetry/schemas";
import type { HottestNodes, SiteTelemetry } from "@/lib/telemetry/types";
import { apiFetch } from "./api";

export type { HottestNodes, SiteTelemetry, TelemetryRange };

// Telemetry charts poll gently: the server caches identical queries for 5 s
// and aligns relative ranges to bucket edges, so polling faster than a bucket
// fills mostly re-reads the same answer.

/** Short ranges move visibly every few seconds. */
export const TELEMETRY_POLL_SHORT_MS = 10_000;
/** 6 h and longer: a new bucket every minute or more. */
export const TELEMETRY_POLL_LONG_MS = 60_000;
/** The control center's hottest list. */
export const HOTTEST_POLL_MS = 15_000;
export const HOTTEST_DEFAULT_LIMIT = 10;

export function telemetryPollMs(range: TelemetryRange): number | false {
  if (range === "custom") return false;
  return range === "15m" || range === "1h" ? TELEMETRY_POLL_SHORT_MS : TELEMETRY_POLL_LONG_MS;
}

export interface SiteTelemetryParams {
  range: TelemetryRange;
  /** epoch ms; only for range "custom" */
  from?: number;
  to?: number;
  /** chart width in px, rounded so a resize by a few pixels does not refetch */
  width: number;
}

/** Width buckets of 100 px: one cache entry per chart size class, not per pixel. */
export function roundWidth(px: number): number {
  return Math.min(4_000, Math.max(100, Math.round(px / 100) * 100));
}

export const telemetryKeys = {
  all: ["telemetry"] as const,
  sites: () => [...telemetryKeys.all, "site"] as const,
  site: (idOrSlug: string, p: SiteTelemetryParams) =>
    [...telemetryKeys.sites(), idOrSlug, p.range, p.from ?? null, p.to ?? null, p.width] as const,
  hottest: (limit: number) => [...telemetryKeys.all, "hottest", limit] as const,
};

export function fetchSiteTelemetry(
  idOrSlug: string,
  p: SiteTelemetryParams,
  signal?: AbortSignal,
): Promise<SiteTelemetry> {
  const params = new URLSearchParams({ range: p.range, width: String(p.width) });
  if (p.range === "custom" && p.from !== undefined && p.to !== undefined) {
    params.set("from", String(Math.round(p.from)));
    params.set("to", String(Math.round(p.to)));
  }
  return apiFetch<SiteTelemetry>(`/api/telemetry/site/${encodeURIComponent(idOrSlug)}?${params}`, { signal });
}

export function fetchHottest(limit: number, signal?: AbortSignal): Promise<HottestNodes> {
  return apiFetch<HottestNodes>(`/api/telemetry/fleet/hottest?limit=${limit}`, { signal });
}

/** Values are °C on the wire; the viewer may prefer °F. */
export function toUnit(celsius: number, unit: "C" | "F"): number {
  return unit === "F" ? (celsius * 9) / 5 + 32 : celsius;
}

export function formatTemperature(celsius: number, unit: "C" | "F"): string {
  return `${toUnit(celsius, unit).toFixed(1)} °${unit}`;
}
