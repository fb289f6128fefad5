"use client";

import { useQuery } from "@tanstack/react-query";
import type { FleetSelection } from "@/lib/deploy/fleet-selection";
import { resolveFleetSelection, resolveTargets } from "@/lib/queries/deployments";

/**
 * A fleet-list selection resolved to what would run: site slugs (for "all
 * matching", asked of the server now) and the clusters at those sites with
 * their reach. Mount it when the dialog opens: each opening resolves afresh.
 */
export function useSelectionTargets(selection: FleetSelection) {
  const matching = useQuery({
    queryKey: [
      "deployments",
      "fleet-selection",
      selection.mode === "matching" ? selection.filter : "",
      selection.mode === "matching" ? selection.except : [],
    ],
    queryFn: ({ signal }) =>
      selection.mode === "matching"
        ? resolveFleetSelection(selection.filter, selection.except, signal)
        : Promise.reject(new Error("not a filter selection")),
    enabled: selection.mode === "matching",
    // The set shown is the set used: no refetch behind the operator's back while the dialog is open.
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });
  const sites = selection.mode === "sites" ? [...selection.sites] : matching.data?.sites;
  const targets = useQuery({
    queryKey: ["deployments", "targets", "selection", sites],
    queryFn: ({ signal }) => resolveTargets({ sites: sites ?? [] }, signal),
    enabled: sites !== undefined && sites.length > 0,
    gcTime: 0,
    retry: false,
  });
  return {
    sites,
    resolvedAt: matching.data?.generatedAt,
    set: targets.data,
    error: matching.error ?? targets.error,
    isLoading: sites === undefined ? matching.isLoading : targets.isLoading,
  };
}
