import { useId, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import {
  DEFAULTS,
  RULE_KIND_LABELS,
  RULE_KINDS,
  type RuleInput,
  type RuleKind,
  ruleInputSchema,
} from "@/lib/alerts/rules";
import { SITE_KIND_LABELS, SITE_KINDS, type SiteKind } from "@/lib/fleet/schemas";
import type { ContactPointView, RulePreview, RuleView } from "@/lib/queries/alerts";

// Renderer: the rule editor. Checks with the API's own schema as you go, so a
// field shows the same message the server would answer; "Preview" replays the
// last 24 h of real data through the rule before saving.

interface Values {
  name: string;
  kind: RuleKind;
  isEnabled: boolean;
  warnCelsius: string;
  criticalCelsius: string;
  clearMargin: string;
  forSeconds: string;
  clearForSeconds: string;
  noDataSeconds: string;
  siteKinds: SiteKind[];
  labels: string;
  contactPointIds: string[];
  groupWaitSeconds: string;
  groupIntervalSeconds: string;
  repeatIntervalSeconds: string;
}

function initialValues(rule: RuleView | null): Values {
  const n = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
  return {
    name: rule?.name ?? "",
    kind: rule?.kind ?? "temperature",
    isEnabled: rule?.isEnabled ?? true,
    warnCelsius: n(rule?.warnCelsius),
    criticalCelsius: n(rule?.criticalCelsius),
    clearMargin: n(rule?.clearMargin ?? DEFAULTS.clearMargin),
    forSeconds: n(rule?.forSeconds ?? DEFAULTS.forSeconds),
    clearForSeconds: n(rule?.clearForSeconds ?? DEFAULTS.clearForSeconds),
    noDataSeconds: n(rule?.noDataSeconds ?? DEFAULTS.noDataSeconds),
    siteKinds: rule?.scope.siteKinds ?? [],
    labels: Object.entries(rule?.scope.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(", "),
    contactPointIds: rule?.contactPointIds ?? [],
    groupWaitSeconds: n(rule?.groupWaitSeconds ?? DEFAULTS.groupWaitSeconds),
    groupIntervalSeconds: n(rule?.groupIntervalSeconds ?? DEFAULTS.groupIntervalSeconds),
    repeatIntervalSeconds: n(rule?.repeatIntervalSeconds ?? DEFAULTS.repeatIntervalSeconds),
  };
}

function num(text: string): number | null | string {
  const t = text.trim().replace(",", ".");
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : text;
}

export function toRuleInput(v: Values, scopeSiteIds: string[]): RuleInput {
  const labels: Record<string, string> = {};
  for (const part of v.labels.split(",")) {
    const [k, ...rest] = part.split("=");
    if (k?.trim()) labels[k.trim()] = rest.join("=").trim();
  }
  const opt = (text: string) => num(text) ?? undefined;
  return {
    name: v.name,
    kind: v.kind,
    isEnabled: v.isEnabled,
    warnCelsius: num(v.warnCelsius) as number | null,
    criticalCelsius: num(v.criticalCelsius) as number | null,
    clearMargin: opt(v.clearMargin) as number | undefined,
    forSeconds: opt(v.forSeconds) as number | undefined,
    clearForSeconds: opt(v.clearForSeconds) as number | undefined,
    noDataSeconds: opt(v.noDataSeconds) as number | undefined,
    scope: { siteKinds: v.siteKinds, siteIds: scopeSiteIds, labels },
    contactPointIds: v.contactPointIds,
    groupWaitSeconds: opt(v.groupWaitSeconds) as number | undefined,
    groupIntervalSeconds: opt(v.groupIntervalSeconds) as number | undefined,
    repeatIntervalSeconds: opt(v.repeatIntervalSeconds) as number | undefined,
  };
}

export function RuleForm({
  rule,
  contactPoints,
  onSave,
  onPreview,
  onCancel,
  isSaving,
  serverErrors,
  preview,
  isPreviewing,
}: {
  rule: RuleView | null;
  contactPoints: ContactPointView[];
  onSave: (input: RuleInput) => void;
  onPreview: (input: RuleInput) => void;
  onCancel: () => void;
  isSaving: boolean;
  serverErrors: FieldErrors;
  preview: RulePreview | null;
  isPreviewing: boolean;
}) {
  const id = useId();
  const [v, setV] = useState<Values>(() => initialValues(rule));
  const [local, setLocal] = useState<FieldErrors>({});
  const errors = Object.keys(local).length > 0 ? local : serverErrors;
  const set = <K extends keyof Values>(k: K, value: Values[K]) => setV((cur) => ({ ...cur, [k]: value }));
  const check = (): RuleInput | null => {
    const input = toRuleInput(v, rule?.scope.siteIds ?? []);
    const parsed = ruleInputSchema.safeParse(input);
    if (!parsed.success) {
      setLocal(issuesToErrors(parsed.error.issues));
      return null;
    }
    setLocal({});
    return input;
  };
  const field = (
    name: keyof Values,
    label: string,
    hint?: string,
    inputMode: "decimal" | "numeric" = "numeric",
  ) => (
    <div className="field field--narrow">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <input
        id={`${id}-${name}`}
        inputMode={inputMode}
        value={String(v[name])}
        onChange={(e) => set(name, e.target.value as never)}
        aria-invalid={hasError(errors, name)}
        aria-describedby={`${id}-${name}-error`}
      />
      {hint ? <p className="hint">{hint}</p> : null}
      <FieldError id={`${id}-${name}-error`} errors={errors} path={name} />
    </div>
  );
  const isTemp = v.kind === "temperature";
  return (
    <form
      className="form"
      aria-label={rule ? `Edit rule ${rule.name}` : "New rule"}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const input = check();
        if (input) onSave(input);
      }}
    >
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={v.name}
            maxLength={100}
            onChange={(e) => set("name", e.target.value)}
            aria-invalid={hasError(errors, "name")}
            aria-describedby={`${id}-name-error`}
          />
          <FieldError id={`${id}-name-error`} errors={errors} path="name" />
        </div>
        <div className="field field--narrow">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select
            id={`${id}-kind`}
            value={v.kind}
            disabled={rule !== null}
            onChange={(e) => set("kind", e.target.value as RuleKind)}
          >
            {RULE_KINDS.map((k) => (
              <option key={k} value={k}>
                {RULE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <label className="choice">
          <input type="checkbox" checked={v.isEnabled} onChange={(e) => set("isEnabled", e.target.checked)} />{" "}
          Enabled
        </label>
      </div>
      {isTemp ? (
        <div className="field-row">
          {field(
            "warnCelsius",
            "Warning above (°C)",
            "Empty: each node's effective threshold (fleet default → kind → site → cluster → node).",
            "decimal",
          )}
          {field(
            "criticalCelsius",
            "Critical above (°C)",
            "Empty: the threshold chain's critical level, if any.",
            "decimal",
          )}
          {field(
            "clearMargin",
            "Clear margin (°C)",
            "Clears at or below the level it fired at minus this.",
            "decimal",
          )}
        </div>
      ) : null}
      <div className="field-row">
        {field("forSeconds", "Pending period (s)", "The condition must hold this long before firing.")}
        {field(
          "clearForSeconds",
          "Clear period (s)",
          "At or below the clear level this long before resolving.",
        )}
        {v.kind === "sensor-silent"
          ? field("noDataSeconds", "No-data period (s)", "Silent this long = sensor silent.")
          : null}
      </div>
      <fieldset className="choice">
        <legend>Site kinds (none = all)</legend>
        {SITE_KINDS.map((k) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={v.siteKinds.includes(k)}
              onChange={(e) =>
                set("siteKinds", e.target.checked ? [...v.siteKinds, k] : v.siteKinds.filter((x) => x !== k))
              }
            />{" "}
            {SITE_KIND_LABELS[k]}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-labels`}>Site labels (all must match)</label>
        <input
          id={`${id}-labels`}
          value={v.labels}
          placeholder="region=eu, tier=gold"
          onChange={(e) => set("labels", e.target.value)}
          aria-describedby={`${id}-labels-error`}
        />
        <FieldError id={`${id}-labels-error`} errors={errors} path="scope" />
      </div>
      <fieldset className="choice">
        <legend>Contact points</legend>
        {contactPoints.length === 0 ? <span className="muted">None yet (an admin adds them).</span> : null}
        {contactPoints.map((c) => (
          <label key={c.id}>
            <input
              type="checkbox"
              checked={v.contactPointIds.includes(c.id)}
              onChange={(e) =>
                set(
                  "contactPointIds",
                  e.target.checked
                    ? [...v.contactPointIds, c.id]
                    : v.contactPointIds.filter((x) => x !== c.id),
                )
              }
            />{" "}
            {c.name}
          </label>
        ))}
        <FieldError id={`${id}-cp-error`} errors={errors} path="contactPointIds" />
      </fieldset>
      <details>
        <summary>Grouping (Alertmanager-like: by rule and site)</summary>
        <div className="field-row">
          {field("groupWaitSeconds", "Group wait (s)")}
          {field("groupIntervalSeconds", "Group interval (s)")}
          {field("repeatIntervalSeconds", "Repeat interval (s)")}
        </div>
      </details>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={isSaving}>
          {isSaving ? "Saving…" : "Save rule"}
        </button>
        {isTemp ? (
          <button
            type="button"
            className="button"
            disabled={isPreviewing}
            onClick={() => {
              const input = check();
              if (input) onPreview(input);
            }}
          >
            {isPreviewing ? "Replaying 24 h…" : "Preview on the last 24 h"}
          </button>
        ) : null}
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {preview ? <PreviewResult preview={preview} /> : null}
    </form>
  );
}

function PreviewResult({ preview }: { preview: RulePreview }) {
  return (
    <div className="notice notice--info" data-testid="rule-preview" role="status">
      <p className="notice-title">
        Over the last 24 h on {preview.hosts} nodes of {preview.sites} sites: would have fired{" "}
        <strong>{preview.firings}</strong> times (without hysteresis: {preview.firingsWithoutHysteresis}).
      </p>
      {preview.unavailable ? <p>Part of the data was unavailable: {preview.unavailable}</p> : null}
      {preview.note ? <p className="hint">{preview.note}</p> : null}
      {preview.top.length > 0 ? (
        <ul className="plain-list">
          {preview.top.map((t) => (
            <li key={`${t.site}/${t.host}`}>
              {t.site} <span className="mono">{t.host}</span>: {t.firings} (without hysteresis{" "}
              {t.firingsWithoutHysteresis})
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
