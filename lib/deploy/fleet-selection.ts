// Bulk selection in the fleet list (issue 10): which sites an operator has
// ticked, and how that choice travels to a deployment or a restart. Two kinds:
// sites ticked one by one (kept by slug, so they survive "show more" and
// other filters), or "all N matching" a filter (kept as the filter plus the
// rows unticked since, because N can be far more than the page holds and
// changes with the fleet's state). Pure and browser-safe (no zod).

/** Rows one can tick one by one (the list never shows more: FLEET_QUERY_LIMITS.pageMax). */
export const SELECTION_MAX_SITES = 500;

/**
 * `?to=` text a deployment's page accepts. The server's request line limit
 * (16 KB of headers) is the real bound; the bar says so before linking.
 */
export const SELECTOR_TEXT_MAX = 12_000;

export type FleetSelection =
  | { mode: "sites"; sites: readonly string[] }
  /** `filter` is the fleet filter as URL parameters (fleetFilterParams(…).toString()) */
  | { mode: "matching"; filter: string; except: readonly string[] };

export const NO_SELECTION: FleetSelection = { mode: "sites", sites: [] };

export function isSelected(sel: FleetSelection, slug: string): boolean {
  return sel.mode === "sites" ? sel.sites.includes(slug) : !sel.except.includes(slug);
}

/** How many sites are chosen; `matching` is the server's count for the selection's filter. */
export function selectedCount(sel: FleetSelection, matching: number): number {
  return sel.mode === "sites" ? sel.sites.length : Math.max(0, matching - sel.except.length);
}

export function isEmpty(sel: FleetSelection, matching: number): boolean {
  return selectedCount(sel, matching) === 0;
}

export function toggleSite(sel: FleetSelection, slug: string): FleetSelection {
  return setSites(sel, [slug], !isSelected(sel, slug));
}

/** Ticks (on = true) or unticks a set of rows, e.g. every row shown. */
export function setSites(sel: FleetSelection, slugs: readonly string[], on: boolean): FleetSelection {
  if (sel.mode === "sites") {
    const have = new Set(sel.sites);
    if (on) {
      const added = slugs.filter((s) => !have.has(s));
      return { mode: "sites", sites: [...sel.sites, ...added].slice(0, SELECTION_MAX_SITES) };
    }
    const drop = new Set(slugs);
    return { mode: "sites", sites: sel.sites.filter((s) => !drop.has(s)) };
  }
  const except = new Set(sel.except);
  for (const s of slugs) {
    if (on) except.delete(s);
    else except.add(s);
  }
  return { ...sel, except: [...except].slice(0, SELECTION_MAX_SITES) };
}

export function selectAllMatching(filter: string): FleetSelection {
  return { mode: "matching", filter, except: [] };
}

/**
 * The filter on screen changed: ticked sites stay ticked, but "all matching"
 * belonged to the old filter and would silently mean other sites now.
 */
export function onFilterChange(sel: FleetSelection, filter: string): FleetSelection {
  return sel.mode === "matching" && sel.filter !== filter ? NO_SELECTION : sel;
}

/** All shown rows ticked, some, or none (the header checkbox). */
export function shownState(sel: FleetSelection, shown: readonly string[]): "all" | "some" | "none" {
  const n = shown.filter((s) => isSelected(sel, s)).length;
  return n === 0 ? "none" : n === shown.length ? "all" : "some";
}

/**
 * The selection as query parameters of a deployment's page: ticked sites as
 * the target text (`?to=site=a|b`, editable there), "all matching" as the
 * filter (`?fleet=…&except=a|b`), which that page resolves on the server and
 * shows before anything runs.
 */
export function selectionParams(sel: FleetSelection): URLSearchParams {
  const params = new URLSearchParams();
  if (sel.mode === "sites") {
    if (sel.sites.length > 0) params.set("to", `site=${sel.sites.join("|")}`);
    return params;
  }
  params.set("fleet", sel.filter);
  if (sel.except.length > 0) params.set("except", sel.except.join("|"));
  return params;
}

export interface FleetSelectionRequest {
  /** fleet filter as URL parameters ("" = every site) */
  fleet: string;
  except: string[];
}

/** Reads `?fleet=…&except=…` back (a deployment's page); undefined when the address has no fleet selection. */
export function parseSelectionParams(
  get: (key: string) => string | null | undefined,
): FleetSelectionRequest | undefined {
  const fleet = get("fleet");
  if (fleet === null || fleet === undefined) return undefined;
  const except = (get("except") ?? "")
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, SELECTION_MAX_SITES);
  return { fleet, except };
}

/** The fleet filter in words, for the page that shows what "all matching" resolved to. */
export function describeFleetFilter(fleet: string): string {
  const p = new URLSearchParams(fleet);
  const parts: string[] = [];
  const status = p.get("status");
  if (status) parts.push(`state ${status.split(",").join(" or ")}`);
  const kind = p.get("kind");
  if (kind) parts.push(`kind ${kind}`);
  const label = p.get("label");
  if (label) parts.push(`label ${label}`);
  const q = p.get("q");
  if (q) parts.push(`search “${q}”`);
  return parts.length > 0 ? parts.join(", ") : "every site";
}
