"use client";

import { useQuery } from "@tanstack/react-query";
import { type ResolvedFleetSelection, resolveTargets } from "@/lib/queries/deployments";
import { ResolvedTargets } from "./resolved-targets";

/**
 * Targets fixed by "all sites matching" in the fleet list: the server resolved
 * the filter when this page loaded, and exactly these sites are what a preview
 * or rollout gets (the list may have moved on since; the time says when).
 */
export function FleetSelectionTargets({
  selection,
  onEditAsText,
}: {
  selection: ResolvedFleetSelection;
  onEditAsText: () => void;
}) {
  const resolved = useQuery({
    queryKey: ["deployments", "targets", "fleet-selection", selection.generatedAt, selection.sites],
    queryFn: ({ signal }) => resolveTargets({ sites: selection.sites }, signal),
    enabled: selection.sites.length > 0,
    retry: false,
  });
  const at = new Date(selection.generatedAt).toLocaleTimeString("en-GB", { timeZone: "UTC" });
  return (
    <fieldset className="field">
      <legend className="field-label">Targets</legend>
      <p data-testid="fleet-selection-note">
        From the fleet list: the <strong>{selection.sites.length}</strong> site
        {selection.sites.length === 1 ? "" : "s"} matching {selection.description} at {at} UTC
        {selection.excluded > 0 ? `, without the ${selection.excluded} you unticked` : ""}.
      </p>
      <div aria-live="polite" data-testid="targets-resolved">
        {selection.sites.length === 0 ? (
          <p className="field-error">No site matches this selection now.</p>
        ) : resolved.isError ? (
          <p className="field-error">{(resolved.error as Error).message}</p>
        ) : resolved.data ? (
          <ResolvedTargets set={resolved.data} />
        ) : (
          <p className="muted">Resolving…</p>
        )}
      </div>
      <button type="button" className="button button--small" onClick={onEditAsText}>
        Type the targets instead
      </button>
    </fieldset>
  );
}
