import type { ClusterView } from "@/lib/fleet/clusters";
import type { SiteInput, SiteKind } from "@/lib/fleet/schemas";
import type { SiteView } from "@/lib/fleet/sites";
import { apiFetch } from "./api";

export type { SiteView };

export interface SiteFilters {
  q: string;
  kind: SiteKind | "";
}

export interface SitePage {
  items: SiteView[];
  nextCursor: string | null;
  total: number;
}

export interface SiteDetail {
  site: SiteView;
  clusters: ClusterView[];
}

export const SITES_PAGE_SIZE = 50;
/** sites change when an admin edits them; a minute keeps other screens honest without load */
export const SITE_LIST_REFETCH_MS = 60_000;
export const SITE_DETAIL_REFETCH_MS = 30_000;

export const siteKeys = {
  all: ["sites"] as const,
  lists: () => [...siteKeys.all, "list"] as const,
  list: (filters: SiteFilters) => [...siteKeys.lists(), { q: filters.q, kind: filters.kind }] as const,
  details: () => [...siteKeys.all, "detail"] as const,
  detail: (idOrSlug: string) => [...siteKeys.details(), idOrSlug] as const,
};

export function fetchSitePage(
  filters: SiteFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<SitePage> {
  const params = new URLSearchParams({ limit: String(SITES_PAGE_SIZE) });
  if (filters.q.trim()) params.set("q", filters.q.trim());
  if (filters.kind) params.set("kind", filters.kind);
  if (cursor) params.set("cursor", cursor);
  return apiFetch<SitePage>(`/api/sites?${params}`, { signal });
}

export function fetchSiteDetail(idOrSlug: string, signal?: AbortSignal): Promise<SiteDetail> {
  return apiFetch<SiteDetail>(`/api/sites/${encodeURIComponent(idOrSlug)}`, { signal });
}

export function createSite(input: SiteInput): Promise<{ site: SiteView }> {
  return apiFetch("/api/sites", { method: "POST", body: input });
}

export function updateSite(id: string, input: SiteInput): Promise<{ site: SiteView }> {
  return apiFetch(`/api/sites/${encodeURIComponent(id)}`, { method: "PUT", body: input });
}

export function deleteSite(id: string): Promise<{ ok: true }> {
  return apiFetch(`/api/sites/${encodeURIComponent(id)}`, { method: "DELETE" });
}
