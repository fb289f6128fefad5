"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ChangeEvent, type FormEvent, useId, useRef, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { parseLabelLines } from "@/components/ui/label-lines";
import { Notice } from "@/components/ui/notice";
import { clusterRegisterSchema, slugify } from "@/lib/fleet/schemas";
import { type ApiIssue, errorMessage, isApiError } from "@/lib/queries/api";
import {
  type ConnectionCheckJson,
  clusterKeys,
  type KubeconfigCheckInput,
  registerCluster,
  testKubeconfig,
} from "@/lib/queries/clusters";
import { siteKeys } from "@/lib/queries/sites";
import { ConnectionResult, type Rejection, RejectionNotice } from "./connection-result";

const MAX_KUBECONFIG_BYTES = 256 * 1024;

/** The API names the contexts in its message when a file has several and none is current. */
function contextsFromIssues(issues: ApiIssue[]): string[] {
  const issue = issues.find((i) => i.path === "context");
  const m = issue?.message.match(/choose one of: (.+)$/);
  return m?.[1] ? m[1].split(", ").filter(Boolean) : [];
}

function toRejection(err: unknown): Rejection {
  if (isApiError(err)) {
    const title =
      err.code === "kubeconfig_rejected" || err.code === "kubeconfig_malformed"
        ? "Kubeconfig refused"
        : err.code === "url_refused"
          ? "Server address refused"
          : err.code === "validation_failed"
            ? "Check the form"
            : err.code === "cluster_unreachable"
              ? "Cluster unreachable"
              : err.code === "conflict"
                ? "Already registered"
                : "Could not complete the request";
    return { title, message: err.message, issues: err.issues };
  }
  return { title: "Could not complete the request", message: errorMessage(err), issues: [] };
}

/**
 * Container: paste/upload a kubeconfig, test it, save it. The kubeconfig lives
 * only in this component's state and in POST bodies: never in a URL, a query
 * key or the query cache (the mutations are garbage-collected at once).
 */
export function ClusterRegistration({
  siteId,
  siteSlug,
  siteName,
}: {
  siteId: string;
  siteSlug: string;
  siteName: string;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const uid = useId();
  const id = (name: string) => `${uid}-${name}`;
  const resultRef = useRef<HTMLDivElement>(null);

  const [kubeconfig, setKubeconfig] = useState("");
  const [fileNote, setFileNote] = useState<string | null>(null);
  const [contexts, setContexts] = useState<string[]>([]);
  const [context, setContext] = useState("");
  const [serverOverride, setServerOverride] = useState("");
  const [isServerFieldShown, setIsServerFieldShown] = useState(false);
  /** the file points at the node's own loopback (a copied k3s.yaml) */
  const [hasLoopbackServer, setHasLoopbackServer] = useState(false);
  const [name, setName] = useState("");
  const [labels, setLabels] = useState("");
  const [check, setCheck] = useState<ConnectionCheckJson | null>(null);
  const [rejection, setRejection] = useState<Rejection | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [hasFailedReach, setHasFailedReach] = useState(false);

  function checkInput(): KubeconfigCheckInput {
    return {
      kubeconfig,
      ...(context ? { context } : {}),
      ...(serverOverride.trim() ? { serverOverride: serverOverride.trim() } : {}),
    };
  }

  function resetResult() {
    setCheck(null);
    setRejection(null);
    setHasFailedReach(false);
  }

  function onKubeconfigChange(text: string) {
    setKubeconfig(text);
    setContexts([]);
    setContext("");
    setHasLoopbackServer(false);
    if (!serverOverride.trim()) setIsServerFieldShown(false);
    setErrors({});
    resetResult();
  }

  function focusResult() {
    requestAnimationFrame(() => resultRef.current?.focus());
  }

  function applyError(err: unknown) {
    const issues = isApiError(err) ? err.issues : [];
    const fromMessage = contextsFromIssues(issues);
    if (fromMessage.length > 0) setContexts(fromMessage);
    if (issues.some((i) => i.path === "serverOverride")) setIsServerFieldShown(true);
    if (isApiError(err) && err.code === "cluster_unreachable") setHasFailedReach(true);
    setErrors(
      issuesToErrors(
        issues.filter((i) =>
          ["name", "labels", "serverOverride", "context"].some(
            (f) => i.path === f || i.path.startsWith(`${f}.`),
          ),
        ),
      ),
    );
    setRejection(toRejection(err));
    focusResult();
  }

  const test = useMutation({
    mutationFn: testKubeconfig,
    gcTime: 0,
    onMutate: () => {
      resetResult();
      setErrors({});
    },
    onSuccess: (result) => {
      setCheck(result);
      if (result.facts.contexts.length > 1) {
        setContexts(result.facts.contexts);
        setContext(result.facts.contextName);
      }
      if (result.needsServerAddress) {
        setIsServerFieldShown(true);
        setHasLoopbackServer(true);
      }
      setHasFailedReach(result.connection !== null && !result.connection.isOk);
      if (!name.trim()) setName(slugify(result.facts.contextName));
      focusResult();
    },
    onError: applyError,
  });

  const save = useMutation({
    mutationFn: registerCluster,
    gcTime: 0,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: siteKeys.all });
      await queryClient.invalidateQueries({ queryKey: clusterKeys.all });
      router.push(`/sites/${siteSlug}`);
      router.refresh();
    },
    onError: applyError,
  });

  function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_KUBECONFIG_BYTES) {
      setFileNote(`${file.name} is larger than 256 KiB; that is not a kubeconfig.`);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      onKubeconfigChange(typeof reader.result === "string" ? reader.result : "");
      setFileNote(
        `Loaded ${file.name} (${file.size.toLocaleString("en-US")} bytes). It is sent to Outpost only when you test or save.`,
      );
    };
    reader.onerror = () => setFileNote(`Could not read ${file.name}.`);
    reader.readAsText(file);
    // Allow picking the same file again after editing the text.
    event.target.value = "";
  }

  function onTest() {
    if (!kubeconfig.trim()) {
      setErrors({ kubeconfig: ["paste or upload a kubeconfig"] });
      return;
    }
    test.mutate(checkInput());
  }

  function submit(allowUnreachable: boolean) {
    const { labels: labelMap, issues: labelIssues } = parseLabelLines(labels);
    const payload = { siteId, name: name.trim(), labels: labelMap, allowUnreachable, ...checkInput() };
    const parsed = clusterRegisterSchema.safeParse(payload);
    const issues = [
      ...labelIssues,
      ...(parsed.success
        ? []
        : parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }))),
    ];
    if (issues.length > 0) {
      setErrors(issuesToErrors(issues));
      return;
    }
    setErrors({});
    setRejection(null);
    save.mutate(payload);
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    submit(false);
  }

  const isBusy = test.isPending || save.isPending;
  const describedBy = (field: string, hint?: string) =>
    [hint ? id(hint) : null, hasError(errors, field) ? id(`${field}-error`) : null]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <form
      className="form"
      onSubmit={onSubmit}
      noValidate
      aria-label={`Register a cluster for ${siteName}`}
      style={{ maxWidth: 900 }}
    >
      <section className="card" aria-labelledby={id("step1")}>
        <h2 id={id("step1")}>1. Kubeconfig</h2>
        <p className="muted">
          On a k3s server node it is <code>/etc/rancher/k3s/k3s.yaml</code>. Only inline certificates and
          tokens are accepted: kubeconfigs that run commands (<code>exec</code>, <code>auth-provider</code>)
          or read files are refused.
        </p>
        <div className="field">
          <label htmlFor={id("file")}>Upload a file</label>
          <input
            id={id("file")}
            type="file"
            onChange={onFile}
            aria-describedby={id("file-note")}
            data-testid="kubeconfig-file"
          />
          <p className="hint" id={id("file-note")} aria-live="polite">
            {fileNote ?? "Read in your browser; nothing is uploaded until you test or save."}
          </p>
        </div>
        <div className="field">
          <label htmlFor={id("kubeconfig")}>…or paste it</label>
          <textarea
            id={id("kubeconfig")}
            rows={12}
            value={kubeconfig}
            onChange={(e) => onKubeconfigChange(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="none"
            placeholder={
              "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: …\n    server: https://10.20.0.5:6443"
            }
            aria-invalid={hasError(errors, "kubeconfig")}
            aria-describedby={describedBy("kubeconfig")}
            data-testid="kubeconfig-text"
          />
          <FieldError id={id("kubeconfig-error")} errors={errors} path="kubeconfig" />
        </div>

        {contexts.length > 1 ? (
          <div className="field">
            <label htmlFor={id("context")}>Context</label>
            <select
              id={id("context")}
              value={context}
              onChange={(e) => {
                setContext(e.target.value);
                resetResult();
              }}
              aria-describedby={describedBy("context", "context-hint")}
              aria-invalid={hasError(errors, "context")}
            >
              {context === "" ? <option value="">Choose a context…</option> : null}
              {contexts.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            <p className="hint" id={id("context-hint")}>
              This file has {contexts.length} contexts; Outpost stores only the one you choose.
            </p>
            <FieldError id={id("context-error")} errors={errors} path="context" />
          </div>
        ) : null}

        {isServerFieldShown ? (
          <div
            className={hasLoopbackServer ? "field field--highlight" : "field"}
            data-testid="server-override-field"
          >
            <label htmlFor={id("serverOverride")}>Reachable API server address</label>
            <p
              className="hint"
              id={id("serverOverride-hint")}
              style={{ margin: "0 0 0.5rem", color: hasLoopbackServer ? "var(--fg)" : undefined }}
            >
              {hasLoopbackServer ? (
                <>
                  This kubeconfig points at <code>https://127.0.0.1:6443</code>, the node&apos;s own address
                  (k3s writes it into every <code>k3s.yaml</code>). Enter the address Outpost can reach the
                  API server at, e.g. <code>https://10.20.0.5:6443</code> or the site gateway&apos;s name.
                </>
              ) : (
                <>
                  Replaces the <code>server</code> in the kubeconfig, e.g. when Outpost reaches the site
                  through a VPN or a forwarded port. The certificate must still be valid for it (or set{" "}
                  <code>tls-server-name</code>).
                </>
              )}
            </p>
            <input
              id={id("serverOverride")}
              type="url"
              inputMode="url"
              value={serverOverride}
              onChange={(e) => {
                setServerOverride(e.target.value);
                resetResult();
              }}
              placeholder="https://10.20.0.5:6443"
              spellCheck={false}
              autoComplete="off"
              aria-invalid={hasError(errors, "serverOverride")}
              aria-describedby={describedBy("serverOverride", "serverOverride-hint")}
              className="mono"
            />
            <FieldError id={id("serverOverride-error")} errors={errors} path="serverOverride" />
          </div>
        ) : null}

        <div className="form-actions">
          <button
            type="button"
            className="button button--primary"
            onClick={onTest}
            disabled={isBusy || !kubeconfig.trim()}
          >
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
          {!isServerFieldShown ? (
            <button
              type="button"
              className="button button--ghost"
              onClick={() => setIsServerFieldShown(true)}
            >
              Use a different server address
            </button>
          ) : null}
        </div>
      </section>

      <div
        ref={resultRef}
        tabIndex={-1}
        aria-live="polite"
        className="stack"
        style={{ marginBottom: "1.25rem" }}
      >
        {test.isPending ? (
          <div className="loading" role="status">
            <span className="spinner" aria-hidden="true" />
            Calling the API server&apos;s /version (up to 8 s)…
          </div>
        ) : null}
        {rejection ? <RejectionNotice rejection={rejection} /> : null}
        {check ? <ConnectionResult check={check} /> : null}
      </div>

      <section className="card" aria-labelledby={id("step2")}>
        <h2 id={id("step2")}>2. Name and save</h2>
        <div className="field">
          <label htmlFor={id("name")}>Cluster name</label>
          <input
            id={id("name")}
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            className="mono"
            aria-invalid={hasError(errors, "name")}
            aria-describedby={describedBy("name", "name-hint")}
          />
          <p className="hint" id={id("name-hint")}>
            Lowercase letters, digits, dots and dashes, e.g. <code>turbines-a</code>. Filled from the context
            after a test.
          </p>
          <FieldError id={id("name-error")} errors={errors} path="name" />
        </div>
        <div className="field">
          <label htmlFor={id("labels")}>
            Labels <span className="optional">(optional, one key=value per line)</span>
          </label>
          <textarea
            id={id("labels")}
            rows={3}
            value={labels}
            onChange={(e) => setLabels(e.target.value)}
            spellCheck={false}
            placeholder="role=turbines"
            aria-invalid={hasError(errors, "labels")}
            aria-describedby={describedBy("labels")}
          />
          <FieldError id={id("labels-error")} errors={errors} path="labels" />
        </div>
        {save.isError && !rejection ? (
          <Notice tone="danger" title="Could not save" role="alert">
            <p>{errorMessage(save.error)}</p>
          </Notice>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={isBusy || !kubeconfig.trim()}>
            {save.isPending && !save.variables?.allowUnreachable ? "Saving…" : "Save"}
          </button>
          {hasFailedReach ? (
            <button
              type="button"
              className="button button--warn"
              onClick={() => submit(true)}
              disabled={isBusy}
            >
              {save.isPending && save.variables?.allowUnreachable ? "Saving…" : "Save anyway (site offline)"}
            </button>
          ) : null}
          <Link className="button button--ghost" href={`/sites/${siteSlug}`}>
            Cancel
          </Link>
        </div>
        <p className="hint">
          Save tests the connection again; the kubeconfig is stored encrypted and never shown again.
        </p>
      </section>
    </form>
  );
}
