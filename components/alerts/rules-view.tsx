"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { RULE_KIND_LABELS, type RuleInput } from "@/lib/alerts/rules";
import {
  ALERT_SETTINGS_POLL_MS,
  alertKeys,
  createRule,
  deleteRule,
  fetchContactPoints,
  fetchRules,
  previewRule,
  type RulePreview,
  type RuleView,
  updateRule,
} from "@/lib/queries/alerts";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { RuleForm } from "./rule-form";

function periods(r: RuleView): string {
  const s = (n: number) => (n >= 60 && n % 60 === 0 ? `${n / 60} min` : `${n} s`);
  const parts = [`pending ${s(r.forSeconds)}`, `clear ${s(r.clearForSeconds)}`];
  if (r.kind === "temperature") parts.unshift(`clear margin ${r.clearMargin} °C`);
  if (r.kind === "sensor-silent") parts.unshift(`silent after ${s(r.noDataSeconds)}`);
  return parts.join(", ");
}

/** Container: alert rules; admins create, edit (with a 24 h preview) and delete. */
export function RulesView({
  initial,
  isAdmin,
  canPreview,
}: {
  initial: RuleView[];
  isAdmin: boolean;
  canPreview: boolean;
}) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<RuleView | "new" | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [preview, setPreview] = useState<RulePreview | null>(null);
  const rules = useQuery({
    queryKey: alertKeys.rules(),
    queryFn: ({ signal }) => fetchRules(signal),
    initialData: { rules: initial },
    refetchInterval: ALERT_SETTINGS_POLL_MS,
  });
  const contactPoints = useQuery({
    queryKey: alertKeys.contactPoints(),
    queryFn: ({ signal }) => fetchContactPoints(signal),
    enabled: isAdmin,
  });
  const done = async () => {
    setEditing(null);
    setPreview(null);
    await queryClient.invalidateQueries({ queryKey: alertKeys.all });
  };
  const save = useMutation({
    mutationFn: (input: RuleInput) =>
      editing && editing !== "new" ? updateRule(editing.id, input) : createRule(input),
    onMutate: () => setErrors({}),
    onSuccess: done,
    onError: (err) => setErrors(isApiError(err) ? issuesToErrors(err.issues) : {}),
  });
  const runPreview = useMutation({
    mutationFn: previewRule,
    onSuccess: (r) => setPreview(r.preview),
  });
  const remove = useMutation({ mutationFn: deleteRule, onSuccess: done });
  return (
    <div className="stack">
      {editing ? (
        <section className="card" aria-labelledby="rule-editor-title">
          <h2 id="rule-editor-title">{editing === "new" ? "New rule" : `Edit ${editing.name}`}</h2>
          <RuleForm
            rule={editing === "new" ? null : editing}
            contactPoints={contactPoints.data?.contactPoints ?? []}
            onSave={(input) => save.mutate(input)}
            onPreview={(input) => (canPreview ? runPreview.mutate(input) : undefined)}
            onCancel={() => {
              setEditing(null);
              setPreview(null);
            }}
            isSaving={save.isPending}
            serverErrors={errors}
            preview={preview}
            isPreviewing={runPreview.isPending}
          />
          {save.isError && Object.keys(errors).length === 0 ? (
            <Notice tone="danger" title="Could not save the rule" role="alert">
              <p>{errorMessage(save.error)}</p>
            </Notice>
          ) : null}
          {runPreview.isError ? (
            <Notice tone="danger" title="Preview failed" role="alert">
              <p>{errorMessage(runPreview.error)}</p>
            </Notice>
          ) : null}
        </section>
      ) : isAdmin ? (
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={() => setEditing("new")}>
            New rule
          </button>
        </div>
      ) : null}
      <div className="table-wrap">
        <table data-testid="rules-table">
          <caption className="visually-hidden">Alert rules</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Kind</th>
              <th scope="col">Level</th>
              <th scope="col">Periods</th>
              <th scope="col">Scope</th>
              <th scope="col">Contact points</th>
              {isAdmin ? <th scope="col">Actions</th> : null}
            </tr>
          </thead>
          <tbody>
            {rules.data.rules.map((r) => (
              <tr key={r.id} data-testid={`rule-row-${r.name}`}>
                <td>
                  {r.name} {r.isEnabled ? null : <span className="muted">(disabled)</span>}
                </td>
                <td>{RULE_KIND_LABELS[r.kind]}</td>
                <td>
                  {r.kind !== "temperature"
                    ? "—"
                    : r.warnCelsius !== null
                      ? `${r.warnCelsius} °C (set on the rule)`
                      : "each node's effective threshold"}
                  {r.criticalCelsius !== null ? `, critical ${r.criticalCelsius} °C` : ""}
                </td>
                <td className="small">{periods(r)}</td>
                <td className="small">
                  {r.scope.siteKinds.length === 0 &&
                  r.scope.siteIds.length === 0 &&
                  Object.keys(r.scope.labels).length === 0
                    ? "all sites"
                    : [
                        r.scope.siteKinds.join(", "),
                        r.scope.siteIds.length > 0 ? `${r.scope.siteIds.length} sites` : "",
                        Object.entries(r.scope.labels)
                          .map(([k, v]) => `${k}=${v}`)
                          .join(", "),
                      ]
                        .filter(Boolean)
                        .join("; ")}
                </td>
                <td className="small">
                  {r.contactPointIds.length === 0
                    ? "none (visible only)"
                    : r.contactPointIds
                        .map((id) => contactPoints.data?.contactPoints.find((c) => c.id === id)?.name ?? "…")
                        .join(", ")}
                </td>
                {isAdmin ? (
                  <td className="nowrap">
                    <button type="button" className="button button--small" onClick={() => setEditing(r)}>
                      Edit
                    </button>{" "}
                    <ConfirmButton
                      label="Delete"
                      className="button button--small button--danger"
                      title={`Delete ${r.name}?`}
                      confirmLabel="Delete rule and its alerts"
                      onConfirm={() => remove.mutate(r.id)}
                      isBusy={remove.isPending}
                    >
                      <p>Its alerts and their history go with it.</p>
                    </ConfirmButton>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
