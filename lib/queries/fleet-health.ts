import type {
  ClusterDetail,
  FleetPage,
  FleetSite,
  MapPoint,
  NodeDetail,
  SiteDetail,
} from "@/lib/fleet/health";
import { SITE_KINDS, type SiteKind } from "@/lib/fleet/kinds";
import { FLEET_QUERY_LIMITS } from "@/lib/fleet/limits";
import type { FleetGridPage } from "@/lib/grid/fleet-grid";
import { SITE_STATUSES, type SiteStatus } from "@/lib/health/model";
import { apiFetch } from "./api";

export type { ClusterDetail, FleetGridPage, FleetPage, FleetSite, MapPoint, NodeDetail, SiteDetail };

// Live fleet health: what the control center and the site/cluster pages poll.
// The server rolls the fleet up once per FLEET_CACHE_MS for every open screen,
// so a short interval costs one JSON encode per screen, not a database scan.

/** The control center's list and counts. */
export const FLEET_HEALTH_POLL_MS = 5_000;
/** The map moves only when a site changes state; it carries every located site, so it polls less often. */
export const FLEET_MAP_POLL_MS = 15_000;
/**
 * Up to this many sites the server renders the map's points with the page; a larger
 * fleet's map is fetched after hydration: at 10,000 sites the points were 1.7 MB of
 * the 1.8 MB HTML of `/` (every point twice, in the markup's data and the RSC payload).
 */
export const FLEET_MAP_FIRST_PAINT_MAX_SITES = 2_000;
/** A site or cluster page. */
export const SITE_HEALTH_POLL_MS = 5_000;
/**
 * Data older than this (three missed refreshes) is flagged as outdated on screen:
 * the numbers may no longer be true and must not look current.
 */
export const HEALTH_DATA_OLD_MS = 3 * FLEET_HEALTH_POLL_MS;

/** Rows fetched at first and added by each "Show more"; the API caps a page (FLEET_QUERY_LIMITS). */
export const FLEET_PAGE_SIZE: number = FLEET_QUERY_LIMITS.pageDefault;
export const FLEET_MAX_ROWS: number = FLEET_QUERY_LIMITS.pageMax;

export interface FleetFilters {
  status: SiteStatus[];
  kind: SiteKind | "";
  /** `key=value`, or `key` for "has the label" */
  label: string;
  q: string;
}

export const EMPTY_FLEET_FILTERS: FleetFilters = { status: [], kind: "", label: "", q: "" };

/** Reads filters from a URL (or Next's searchParams), dropping anything the API would refuse (same limits). */
export function parseFleetFilters(get: (key: string) => string | null | undefined): FleetFilters {
  const rawStatus = (get("status") ?? "").split(",");
  const status = SITE_STATUSES.filter((s) => rawStatus.includes(s));
  const rawKind = get("kind") ?? "";
  const kind = (SITE_KINDS as readonly string[]).includes(rawKind) ? (rawKind as SiteKind) : "";
  const label = (get("label") ?? "").trim().slice(0, FLEET_QUERY_LIMITS.label);
  const q = (get("q") ?? "").trim().slice(0, FLEET_QUERY_LIMITS.q);
  return { status, kind, label, q };
}

/** Filters as URL parameters, in a stable order (shared by the address bar and the API call). */
export function fleetFilterParams(filters: FleetFilters): URLSearchParams {
  const params = new URLSearchParams();
  // Worst-first order, whatever order the user clicked in: one URL per selection.
  const status = SITE_STATUSES.filter((s) => filters.status.includes(s));
  if (status.length > 0) params.set("status", status.join(","));
  if (filters.kind) params.set("kind", filters.kind);
  if (filters.label.trim()) params.set("label", filters.label.trim());
  if (filters.q.trim()) params.set("q", filters.q.trim());
  return params;
}

export function isFiltered(filters: FleetFilters): boolean {
  return fleetFilterParams(filters).size > 0;
}

export function sameFleetFilters(a: FleetFilters, b: FleetFilters): boolean {
  return fleetFilterParams(a).toString() === fleetFilterParams(b).toString();
}

export const fleetHealthKeys = {
  all: ["fleet-health"] as const,
  lists: () => [...fleetHealthKeys.all, "list"] as const,
  list: (filters: FleetFilters, limit: number) =>
    [...fleetHealthKeys.lists(), fleetFilterParams(filters).toString(), limit] as const,
  map: () => [...fleetHealthKeys.all, "map"] as const,
  sites: () => [...fleetHealthKeys.all, "site"] as const,
  site: (idOrSlug: string) => [...fleetHealthKeys.sites(), idOrSlug] as const,
  grid: (kind: string, limit: number) => [...fleetHealthKeys.all, "grid", kind, limit] as const,
};

/** Sites per page of the control center's grid for one kind of site. */
export const FLEET_GRID_PAGE = 12;

/** The grid for one kind of site: sites worst first, each cluster a tile. */
export function fetchFleetGrid(kind: SiteKind, limit: number, signal?: AbortSignal): Promise<FleetGridPage> {
  const params = new URLSearchParams({ kind, offset: "0", limit: String(limit) });
  return apiFetch<FleetGridPage>(`/api/fleet/grid?${params}`, { signal });
}

/** Always from offset 0: "show more" grows the window, so one request refreshes everything on screen. */
export function fetchFleetHealth(
  filters: FleetFilters,
  limit: number,
  signal?: AbortSignal,
): Promise<FleetPage> {
  const params = fleetFilterParams(filters);
  params.set("offset", "0");
  params.set("limit", String(Math.min(limit, FLEET_MAX_ROWS)));
  return apiFetch<FleetPage>(`/api/fleet/health?${params}`, { signal });
}

export interface FleetMap {
  generatedAt: string;
  points: MapPoint[];
}

export function fetchFleetMap(signal?: AbortSignal): Promise<FleetMap> {
  return apiFetch<FleetMap>("/api/fleet/map", { signal });
}

export function fetchSiteHealth(idOrSlug: string, signal?: AbortSignal): Promise<SiteDetail> {
  return apiFetch<SiteDetail>(`/api/sites/${encodeURIComponent(idOrSlug)}/health`, { signal });
}
