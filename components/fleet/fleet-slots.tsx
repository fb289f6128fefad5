"use client";

import { EmbedButton } from "@/components/embed/embed-button";
import type { FleetFilters } from "@/lib/queries/fleet-health";

// The control center's extension points (see components/sites/site-slots.tsx
// for the rules): the feature that fills a slot replaces its `return null`.

export interface FleetStripSlotProps {
  /** the filters on screen (the strip's counts are over the whole fleet) */
  filters: FleetFilters;
  isOperator: boolean;
}

/** Beside the state counts ("fleet strip") — embed: the "Embed" button (operators and admins). */
export function FleetStripActionsSlot({ filters, isOperator }: FleetStripSlotProps) {
  if (!isOperator) return null;
  // A strip counts by state, so only the kind and label filters carry over.
  const filter = {
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.label ? { label: filters.label } : {}),
  };
  return <EmbedButton target={{ kind: "fleet-strip", filter }} />;
}
