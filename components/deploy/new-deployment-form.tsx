"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { FieldError } from "@/components/ui/field-errors";
import { issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { createDeployment } from "@/lib/queries/deployments";
import { ManifestEditor } from "./manifest-editor";

/** Container: name + manifest → the deployment's first revision, then its page. */
export function NewDeploymentForm({ isAdmin }: { isAdmin: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [manifest, setManifest] = useState("");
  const [message, setMessage] = useState("");
  const create = useMutation({
    mutationFn: () => createDeployment({ name, description, manifest, message }),
    onSuccess: ({ deployment }) => router.push(`/deployments/${encodeURIComponent(deployment.name)}`),
  });
  const errors = create.error && isApiError(create.error) ? issuesToErrors(create.error.issues) : {};
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label="New deployment">
      {create.isError ? (
        <Notice tone="danger" title="Not created" role="alert">
          <p>{errorMessage(create.error)}</p>
        </Notice>
      ) : null}
      <div className="field">
        <label htmlFor="deployment-name">Name</label>
        <input
          id="deployment-name"
          value={name}
          onChange={(e) => setName(e.target.value.toLowerCase())}
          required
          maxLength={63}
          aria-describedby="deployment-name-hint deployment-name-error"
        />
        <p id="deployment-name-hint" className="hint">
          Lower-case letters, digits and “-”. Every object Outpost applies carries it as the label
          outpost.dev/deployment, which is how a rollback knows what to prune.
        </p>
        <FieldError id="deployment-name-error" errors={errors} path="name" />
      </div>
      <div className="field">
        <label htmlFor="deployment-description">
          Description <span className="optional">(optional)</span>
        </label>
        <input
          id="deployment-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          maxLength={500}
        />
      </div>
      <div className="field">
        <label htmlFor="deployment-manifest">Manifest</label>
        <p id="deployment-manifest-hint" className="hint">
          Multi-document YAML: Deployments, DaemonSets, StatefulSets, Services, ConfigMaps, Secrets,
          Namespaces, k3s HelmCharts.
          {isAdmin
            ? ""
            : " Cluster-scoped and RBAC objects (Namespaces, ClusterRoles, …) need the admin role."}{" "}
          Secret values are encrypted at rest and never shown again.
        </p>
        <ManifestEditor
          id="deployment-manifest"
          value={manifest}
          onChange={setManifest}
          describedBy="deployment-manifest-hint"
        />
        <FieldError id="deployment-manifest-error" errors={errors} path="manifest" />
      </div>
      <div className="field">
        <label htmlFor="deployment-message">
          Revision message <span className="optional">(optional)</span>
        </label>
        <input
          id="deployment-message"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={500}
        />
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create deployment"}
        </button>
      </div>
    </form>
  );
}
