"use client";

import type { FormEvent, RefObject } from "react";
import type { FleetSelection } from "@/lib/deploy/fleet-selection";
import { errorMessage } from "@/lib/queries/api";
import { ResolvedTargets } from "./resolved-targets";
import { useSelectionTargets } from "./use-selection-targets";
import { useWorkloadRestart } from "./use-workload-restart";
import { WorkloadFields } from "./workload-fields";

/**
 * "Restart workloads" for the sites selected in the fleet list: the same
 * rollout restart as the site page's button, through the wave engine. The
 * sites and clusters are resolved and listed before the button can start it.
 */
export function RestartSelectionDialog({
  dialogRef,
  open,
  onClose,
  selection,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  open: boolean;
  onClose: () => void;
  selection: FleetSelection;
}) {
  return (
    <dialog ref={dialogRef} aria-labelledby="selection-restart-title" onClose={onClose}>
      <h2 id="selection-restart-title">Restart workloads on the selected sites</h2>
      {/* Mounted only while open: every opening resolves the selection afresh. */}
      {open ? <RestartSelectionForm dialogRef={dialogRef} selection={selection} /> : null}
    </dialog>
  );
}

function RestartSelectionForm({
  dialogRef,
  selection,
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  selection: FleetSelection;
}) {
  const resolved = useSelectionTargets(selection);
  const { fields, restart } = useWorkloadRestart(dialogRef, () => {
    if (!resolved.sites || resolved.sites.length === 0) throw new Error("No site is selected.");
    return resolved.sites;
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    restart.mutate();
  };
  const ready = resolved.set !== undefined && resolved.set.total > 0;
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <p>
        Every matching Deployment, DaemonSet and StatefulSet on these sites' clusters gets new pods (like{" "}
        <code>kubectl rollout restart</code>), in waves, each followed until its new pods are ready.
      </p>
      <div aria-live="polite" data-testid="selection-resolved">
        {resolved.error ? (
          <p className="field-error">{errorMessage(resolved.error)}</p>
        ) : resolved.sites !== undefined && resolved.sites.length === 0 ? (
          <p className="field-error">No site matches this selection now.</p>
        ) : resolved.set ? (
          <>
            {resolved.resolvedAt ? (
              <p className="muted small">
                {resolved.sites?.length} sites matching the filter at{" "}
                {new Date(resolved.resolvedAt).toLocaleTimeString("en-GB", { timeZone: "UTC" })} UTC
              </p>
            ) : null}
            <ResolvedTargets set={resolved.set} />
          </>
        ) : (
          <p className="muted">Resolving the selection…</p>
        )}
      </div>
      <WorkloadFields idPrefix="selection-restart" fields={fields} />
      {restart.isError ? (
        <p className="field-error" role="alert">
          {errorMessage(restart.error)}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={restart.isPending || !ready}>
          {restart.isPending ? "Starting…" : `Restart on ${resolved.set?.total ?? "…"} clusters`}
        </button>
        <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
