"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type RefObject, useState } from "react";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { type FleetSelection, SELECTOR_TEXT_MAX, selectionParams } from "@/lib/deploy/fleet-selection";
import { errorMessage } from "@/lib/queries/api";
import { deploymentKeys, fetchDeployments } from "@/lib/queries/deployments";

/**
 * "Deploy to selection": choose which deployment; its page opens with the
 * selection as targets, resolved and shown there before any preview or rollout.
 */
export function DeploySelectionDialog({
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
  const [q, setQ] = useState("");
  const debounced = useDebouncedValue(q, 300);
  const list = useQuery({
    queryKey: deploymentKeys.list(debounced),
    queryFn: ({ signal }) => fetchDeployments(debounced, null, signal),
    enabled: open,
  });
  const params = selectionParams(selection).toString();
  const tooLong = params.length > SELECTOR_TEXT_MAX;
  const manifests = (list.data?.items ?? []).filter((d) => d.kind === "manifest");
  return (
    <dialog ref={dialogRef} aria-labelledby="selection-deploy-title" onClose={onClose}>
      <h2 id="selection-deploy-title">Deploy to the selected sites</h2>
      {tooLong ? (
        <p className="field-error" role="alert">
          Too many sites ticked one by one to carry over. Filter the list and use “Select all matching”
          instead.
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor="selection-deploy-search">Find a deployment</label>
            <input id="selection-deploy-search" value={q} onChange={(e) => setQ(e.target.value)} />
          </div>
          {list.isError ? (
            <p className="field-error">{errorMessage(list.error)}</p>
          ) : list.data === undefined ? (
            <p className="muted">Loading deployments…</p>
          ) : manifests.length === 0 ? (
            <p>
              No deployment{debounced ? " matches" : " yet"}. <Link href="/deployments/new">Create one</Link>{" "}
              first.
            </p>
          ) : (
            <ul className="plain-list" data-testid="selection-deploy-choices">
              {manifests.map((d) => (
                <li key={d.id}>
                  <Link href={`/deployments/${encodeURIComponent(d.name)}?${params}`}>{d.name}</Link>
                  {d.latestRevision !== null ? <span className="muted"> · r{d.latestRevision}</span> : null}
                  {d.description ? <span className="muted"> — {d.description}</span> : null}
                </li>
              ))}
            </ul>
          )}
          <p className="hint">
            The deployment's page lists the clusters these sites have before you preview or roll out.
          </p>
        </>
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
