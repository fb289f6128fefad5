"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge, type Tone } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { errorMessage } from "@/lib/queries/api";
import {
  createPreview,
  deploymentKeys,
  fetchPreview,
  fetchPreviewTargets,
  PREVIEW_REFETCH_MS,
  type PreviewOutcome,
  type TargetSelector,
} from "@/lib/queries/deployments";
import { FieldChanges } from "./field-changes";

const OUTCOME_TONE: Record<PreviewOutcome, Tone> = {
  pending: "neutral",
  unchanged: "ok",
  changed: "info",
  conflict: "danger",
  error: "danger",
  unreachable: "warn",
};

/** Container: the dry run (server-side apply, dryRun=All) of a revision on the chosen targets. */
export function PreviewPanel({
  deploymentId,
  revision,
  targets,
  force,
}: {
  deploymentId: string;
  revision: number;
  targets: TargetSelector;
  force: boolean;
}) {
  const [outcome, setOutcome] = useState("");
  const run = useMutation({ mutationFn: () => createPreview(deploymentId, { revision, targets, force }) });
  const previewId = run.data?.id;
  const preview = useQuery({
    queryKey: deploymentKeys.preview(previewId ?? "-"),
    queryFn: ({ signal }) => fetchPreview(previewId as string, signal).then((r) => r.preview),
    enabled: previewId !== undefined,
    refetchInterval: (q) => (q.state.data?.state === "done" ? false : PREVIEW_REFETCH_MS),
  });
  const rows = useQuery({
    queryKey: deploymentKeys.previewTargets(previewId ?? "-", `${outcome}:${preview.data?.state}`),
    queryFn: ({ signal }) => fetchPreviewTargets(previewId as string, outcome, signal),
    enabled: previewId !== undefined && preview.data?.state === "done",
  });
  const p = preview.data;
  return (
    <div className="stack" data-testid="preview">
      <div className="form-actions">
        <button type="button" className="button" onClick={() => run.mutate()} disabled={run.isPending}>
          {run.isPending ? "Starting preview…" : p ? "Preview again" : "Preview changes (dry run)"}
        </button>
      </div>
      {run.isError ? (
        <Notice tone="danger" title="No preview" role="alert">
          <p>{errorMessage(run.error)}</p>
        </Notice>
      ) : null}
      {p ? (
        <div aria-live="polite">
          <p data-testid="preview-sentence">
            <strong>{p.state === "done" ? "Preview:" : "Checking…"}</strong> {p.sentence} (of {p.counts.total}
            )
          </p>
          {p.state === "done" ? (
            <label className="field">
              <span className="field-label">Show</span>
              <select value={outcome} onChange={(e) => setOutcome(e.target.value)}>
                <option value="">every target</option>
                <option value="changed">will change</option>
                <option value="conflict">conflicts</option>
                <option value="error">errors</option>
                <option value="unreachable">unreachable</option>
                <option value="unchanged">unchanged</option>
              </select>
            </label>
          ) : null}
          <ul className="plain-list" data-testid="preview-targets">
            {(rows.data?.items ?? []).map((t) => (
              <li key={t.clusterId}>
                <details>
                  <summary>
                    {t.siteName} / {t.clusterName} <Badge tone={OUTCOME_TONE[t.outcome]}>{t.outcome}</Badge>{" "}
                    <span className="muted">{t.message}</span>
                  </summary>
                  {t.objects.map((o) => (
                    <div key={o.label}>
                      <p>
                        <strong>{o.label}</strong>: {o.outcome}
                        {o.message ? <span className="muted"> — {o.message}</span> : null}
                      </p>
                      {o.conflicts.length > 0 ? (
                        <ul>
                          {o.conflicts.map((c) => (
                            <li key={c.field}>
                              <code>{c.field}</code> is owned by <strong>{c.manager}</strong>
                            </li>
                          ))}
                        </ul>
                      ) : null}
                      {o.changes.length > 0 ? <FieldChanges changes={o.changes} /> : null}
                    </div>
                  ))}
                </details>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
