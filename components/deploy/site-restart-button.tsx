"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef, useState } from "react";
import type { SiteSlotProps } from "@/components/sites/slot-props";
import { errorMessage } from "@/lib/queries/api";
import { startRestart } from "@/lib/queries/deployments";

/** "Restart workloads on this site": a rollout restart by label, through the wave engine. */
export function SiteRestartButton({ site, isOperator }: SiteSlotProps) {
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [labelSelector, setLabelSelector] = useState("");
  const [namespace, setNamespace] = useState("");
  const restart = useMutation({
    mutationFn: () =>
      startRestart({
        targets: { sites: [site.slug] },
        workloads: {
          labelSelector: labelSelector.trim(),
          ...(namespace.trim() ? { namespace: namespace.trim() } : {}),
        },
      }),
    onSuccess: (r) => {
      dialogRef.current?.close();
      router.push(`/deployments/${encodeURIComponent(r.name)}/rollouts/${r.id}`);
    },
  });
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
          <div className="field">
            <label htmlFor="restart-selector">Label selector</label>
            <input
              id="restart-selector"
              value={labelSelector}
              onChange={(e) => setLabelSelector(e.target.value)}
              placeholder="app=pos-api"
              spellCheck={false}
            />
          </div>
          <div className="field">
            <label htmlFor="restart-namespace">
              Namespace <span className="optional">(optional)</span>
            </label>
            <input id="restart-namespace" value={namespace} onChange={(e) => setNamespace(e.target.value)} />
          </div>
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
