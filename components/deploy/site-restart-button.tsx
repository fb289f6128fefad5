"use client";

import { type FormEvent, useRef } from "react";
import type { SiteSlotProps } from "@/components/sites/slot-props";
import { errorMessage } from "@/lib/queries/api";
import { useWorkloadRestart } from "./use-workload-restart";
import { WorkloadFields } from "./workload-fields";

/** "Restart workloads on this site": a rollout restart by label, through the wave engine. */
export function SiteRestartButton({ site, isOperator }: SiteSlotProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const { fields, restart } = useWorkloadRestart(dialogRef, () => [site.slug]);
  if (!isOperator) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    restart.mutate();
  };
  return (
    <>
      <button type="button" className="button" onClick={() => dialogRef.current?.showModal()}>
        Restart workloads…
      </button>
      <dialog ref={dialogRef} aria-labelledby="site-restart-title">
        <h2 id="site-restart-title">Restart workloads on {site.name}</h2>
        <form className="form" onSubmit={onSubmit} noValidate>
          <p>
            Every matching Deployment, DaemonSet and StatefulSet on this site's clusters gets new pods (like{" "}
            <code>kubectl rollout restart</code>), one cluster after another, followed until ready.
          </p>
          <WorkloadFields idPrefix="restart" fields={fields} />
          {restart.isError ? (
            <p className="field-error" role="alert">
              {errorMessage(restart.error)}
            </p>
          ) : null}
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={restart.isPending}>
              {restart.isPending ? "Starting…" : "Restart"}
            </button>
            <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
