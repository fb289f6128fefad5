"use client";

import type { FleetFilters } from "@/lib/queries/fleet-health";

// The control center's extension points (see components/sites/site-slots.tsx
// for the rules): the feature that fills a slot replaces its `return null`.

export interface FleetStripSlotProps {
  /** the filters on screen (the strip's counts are over the whole fleet) */
  filters: FleetFilters;
  isOperator: boolean;
}

/** Beside the state counts ("fleet strip") — embed: the "Embed" button. */
export function FleetStripActionsSlot(_props: FleetStripSlotProps) {
  return null;
}
