import type { GrantCreateInput } from "@/lib/embed/schemas";
import type { EmbedGrantView, GrantCreated, GrantEvent } from "@/lib/embed/types";
import { apiFetch } from "./api";

export type { EmbedGrantView, GrantCreated, GrantEvent };

export const embedGrantKeys = {
  all: ["embed-grants"] as const,
  list: (site?: string) => [...embedGrantKeys.all, "list", site ?? null] as const,
  events: (id: string) => [...embedGrantKeys.all, "events", id] as const,
};

/** "Last used" and use counts move while portals show the embeds; a settings list polls slowly. */
export const GRANT_LIST_REFETCH_MS = 30_000;
/** The dialog's preview waits for typing to pause before redrawing. */
export const PREVIEW_DEBOUNCE_MS = 400;

export function fetchGrants(site?: string, signal?: AbortSignal): Promise<{ items: EmbedGrantView[] }> {
  const q = site ? `?${new URLSearchParams({ site })}` : "";
  return apiFetch(`/api/embed-grants${q}`, { signal });
}

export function createGrant(input: GrantCreateInput): Promise<GrantCreated> {
  return apiFetch("/api/embed-grants", { method: "POST", body: input });
}

export function revokeGrant(id: string): Promise<{ grant: EmbedGrantView }> {
  return apiFetch(`/api/embed-grants/${encodeURIComponent(id)}/revoke`, { method: "POST" });
}

export function reissueGrant(id: string): Promise<GrantCreated> {
  return apiFetch(`/api/embed-grants/${encodeURIComponent(id)}/reissue`, { method: "POST" });
}

export function fetchGrantEvents(id: string, signal?: AbortSignal): Promise<{ items: GrantEvent[] }> {
  return apiFetch(`/api/embed-grants/${encodeURIComponent(id)}/events`, { signal });
}

/** The preview iframe's address for a grant being drafted. */
export function previewUrl(p: {
  kind: string;
  site?: string | null;
  metric?: string | null;
  filterKind?: string;
  label?: string;
  range: string;
  ranges: readonly string[];
  theme: string;
}): string {
  const q = new URLSearchParams({ kind: p.kind, range: p.range, theme: p.theme, ranges: p.ranges.join(",") });
  if (p.site) q.set("site", p.site);
  if (p.metric) q.set("metric", p.metric);
  if (p.filterKind) q.set("filterKind", p.filterKind);
  if (p.label) q.set("label", p.label);
  return `/api/embed-grants/preview?${q}`;
}
