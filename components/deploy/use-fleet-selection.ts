"use client";

import { useState } from "react";
import type { FleetListSelection } from "@/components/fleet/fleet-site-list";
import {
  type FleetSelection,
  isSelected,
  NO_SELECTION,
  onFilterChange,
  selectAllMatching,
  setSites,
  shownState,
  toggleSite,
} from "@/lib/deploy/fleet-selection";

/**
 * The fleet list's bulk selection for the filter on screen (`filterKey` =
 * fleetFilterParams(filters).toString()) and the rows shown. Kept in memory
 * by slug, so it survives "show more" and polling.
 */
export function useFleetSelection(filterKey: string, shown: readonly string[]) {
  const [raw, setRaw] = useState<FleetSelection>(NO_SELECTION);
  const selection = onFilterChange(raw, filterKey);
  const update = (f: (s: FleetSelection) => FleetSelection) => setRaw((r) => f(onFilterChange(r, filterKey)));
  const state = shownState(selection, shown);
  const list: FleetListSelection = {
    isSelected: (slug) => isSelected(selection, slug),
    onToggle: (slug) => update((s) => toggleSite(s, slug)),
    shown: state,
    onToggleShown: () => update((s) => setSites(s, shown, shownState(s, shown) !== "all")),
  };
  return {
    selection,
    list,
    selectAll: () => setRaw(selectAllMatching(filterKey)),
    clear: () => setRaw(NO_SELECTION),
  };
}
