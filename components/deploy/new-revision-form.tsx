"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Notice } from "@/components/ui/notice";
import { errorMessage } from "@/lib/queries/api";
import { createRevision, deploymentKeys } from "@/lib/queries/deployments";
import { ManifestEditor } from "./manifest-editor";

/** Container: a new immutable revision of the deployment (the same content answers with the latest). */
export function NewRevisionForm({ deploymentId }: { deploymentId: string }) {
  const qc = useQueryClient();
  const [manifest, setManifest] = useState("");
  const [message, setMessage] = useState("");
  const save = useMutation({
    mutationFn: () => createRevision(deploymentId, { manifest, message }),
    onSuccess: () => qc.invalidateQueries({ queryKey: deploymentKeys.all }),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New revision">
      <div className="field">
        <label htmlFor="revision-manifest">Manifest</label>
        <p id="revision-manifest-hint" className="hint">
          The whole manifest, Secret values included: stored values are never shown back, so paste them again.
        </p>
        <ManifestEditor
          id="revision-manifest"
          value={manifest}
          onChange={setManifest}
          describedBy="revision-manifest-hint"
        />
      </div>
      <div className="field">
        <label htmlFor="revision-message">Message</label>
        <input
          id="revision-message"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={500}
        />
      </div>
      {save.isError ? (
        <Notice tone="danger" title="Not saved" role="alert">
          <p>{errorMessage(save.error)}</p>
        </Notice>
      ) : null}
      {save.data ? (
        <p role="status">
          {save.data.isNew
            ? `Saved as revision ${save.data.revision.number}.`
            : `Same content as revision ${save.data.revision.number}: nothing new stored.`}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save revision"}
        </button>
      </div>
    </form>
  );
}
