"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useRef, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors, unplacedIssues } from "@/components/ui/field-errors-model";
import { formatLabelLines, parseLabelLines } from "@/components/ui/label-lines";
import { Notice } from "@/components/ui/notice";
import {
  CONTACT_MODES,
  SITE_KIND_LABELS,
  SITE_KINDS,
  type SiteInput,
  type SiteKind,
  siteInputSchema,
} from "@/lib/fleet/schemas";
import type { SiteView } from "@/lib/fleet/sites";
import { type ApiIssue, errorMessage, isApiError } from "@/lib/queries/api";
import { createSite, siteKeys, updateSite } from "@/lib/queries/sites";

type ContactMode = (typeof CONTACT_MODES)[number];

interface WindowRow {
  key: number;
  start: string;
  end: string;
  timeZone: string;
}

interface Values {
  name: string;
  slug: string;
  kind: SiteKind;
  latitude: string;
  longitude: string;
  labels: string;
  contactMode: ContactMode;
  windows: WindowRow[];
  maxSilenceMinutes: string;
  tempWarnCelsius: string;
}

const FIELDS = [
  "name",
  "slug",
  "kind",
  "latitude",
  "longitude",
  "labels",
  "contactMode",
  "expectedOfflineWindows",
  "maxSilenceMinutes",
  "tempWarnCelsius",
] as const;

const COMMON_TIME_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Lisbon",
  "Europe/Madrid",
  "Europe/Paris",
  "Europe/Berlin",
  "Europe/Rome",
  "Europe/Warsaw",
  "Europe/Athens",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Sao_Paulo",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Australia/Sydney",
];

const CONTACT_MODE_HINTS: Record<ContactMode, string> = {
  continuous: "Always connected (wind farms, stores, factories): silence means trouble.",
  intermittent:
    "Dark by design at times (vehicles, satellite links): silence within the limits below is normal.",
};

let nextRowKey = 1;

function initialValues(site: SiteView | null): Values {
  return {
    name: site?.name ?? "",
    slug: site?.slug ?? "",
    kind: site?.kind ?? "store",
    latitude: site?.latitude != null ? String(site.latitude) : "",
    longitude: site?.longitude != null ? String(site.longitude) : "",
    labels: site ? formatLabelLines(site.labels) : "",
    contactMode: site?.contactMode ?? "continuous",
    windows: (site?.expectedOfflineWindows ?? []).map((w) => ({ key: nextRowKey++, ...w })),
    maxSilenceMinutes: site?.maxSilenceMinutes != null ? String(site.maxSilenceMinutes) : "",
    tempWarnCelsius: site?.tempWarnCelsius != null ? String(site.tempWarnCelsius) : "",
  };
}

function optionalNumber(raw: string, path: string, issues: ApiIssue[]): number | null {
  const text = raw.trim().replace(",", ".");
  if (text === "") return null;
  const n = Number(text);
  if (!Number.isFinite(n)) {
    issues.push({ path, message: "must be a number" });
    return null;
  }
  return n;
}

/** Form values → the API's input, plus the problems only the form can see (bad numbers, label lines). */
function toInput(
  v: Values,
  hasWindows: boolean,
  site: SiteView | null,
): { input: SiteInput; issues: ApiIssue[] } {
  const issues: ApiIssue[] = [];
  const { labels, issues: labelIssues } = parseLabelLines(v.labels);
  issues.push(...labelIssues);
  const latitude = optionalNumber(v.latitude, "latitude", issues);
  const longitude = optionalNumber(v.longitude, "longitude", issues);
  const maxSilence = optionalNumber(v.maxSilenceMinutes, "maxSilenceMinutes", issues);
  const tempWarn = optionalNumber(v.tempWarnCelsius, "tempWarnCelsius", issues);
  const input: SiteInput = {
    name: v.name,
    ...(v.slug.trim() ? { slug: v.slug.trim() } : {}),
    kind: v.kind,
    latitude,
    longitude,
    labels,
    contactMode: v.contactMode,
    expectedOfflineWindows: hasWindows
      ? v.windows.map(({ start, end, timeZone }) => ({ start, end, timeZone: timeZone.trim() || "UTC" }))
      : [],
    maxSilenceMinutes: maxSilence,
    tempWarnCelsius: tempWarn,
    // The data source is chosen elsewhere (Settings → Data sources); keep what the site has.
    dataSourceId: site?.dataSourceId ?? null,
  };
  return { input, issues };
}

/** Container: create or edit a site; validates with the API's own zod schema and shows the API's field issues. */
export function SiteForm({ site }: { site: SiteView | null }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const uid = useId();
  const summaryRef = useRef<HTMLDivElement>(null);
  const [values, setValues] = useState<Values>(() => initialValues(site));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<{ title: string; issues: ApiIssue[] } | null>(null);
  const isEdit = site !== null;
  const hasWindows = values.kind === "vehicle" || values.contactMode === "intermittent";

  const save = useMutation({
    mutationFn: (input: SiteInput) => (site ? updateSite(site.id, input) : createSite(input)),
    onSuccess: async ({ site: saved }) => {
      await queryClient.invalidateQueries({ queryKey: siteKeys.all });
      router.push(`/sites/${saved.slug}`);
      router.refresh();
    },
    onError: (err) => {
      const issues = isApiError(err) ? err.issues : [];
      setErrors(issuesToErrors(issues));
      setFormError({ title: errorMessage(err), issues: unplacedIssues(issues, FIELDS) });
      summaryRef.current?.focus();
    },
  });

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((v) => ({ ...v, [key]: value }));
  }

  function setWindow(key: number, patch: Partial<WindowRow>) {
    setValues((v) => ({ ...v, windows: v.windows.map((w) => (w.key === key ? { ...w, ...patch } : w)) }));
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { input, issues } = toInput(values, hasWindows, site);
    const parsed = siteInputSchema.safeParse(input);
    const all = [
      ...issues,
      ...(parsed.success
        ? []
        : parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }))),
    ];
    const unique = all.filter(
      (i, idx) => all.findIndex((j) => j.path === i.path && j.message === i.message) === idx,
    );
    if (unique.length > 0) {
      setErrors(issuesToErrors(unique));
      setFormError({
        title: `Fix ${unique.length === 1 ? "1 problem" : `${unique.length} problems`} below`,
        issues: unplacedIssues(unique, FIELDS),
      });
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setErrors({});
    setFormError(null);
    save.mutate(input);
  }

  const id = (name: string) => `${uid}-${name}`;
  const describedBy = (name: string, hint = false) =>
    [hint ? id(`${name}-hint`) : null, hasError(errors, name) ? id(`${name}-error`) : null]
      .filter(Boolean)
      .join(" ") || undefined;

  return (
    <form className="form" onSubmit={onSubmit} noValidate aria-label={isEdit ? "Edit site" : "New site"}>
      <div ref={summaryRef} tabIndex={-1} aria-live="assertive">
        {formError ? (
          <Notice tone="danger" title={formError.title} role="alert" testId="form-error">
            {formError.issues.length > 0 ? (
              <ul>
                {formError.issues.map((i) => (
                  <li key={`${i.path}:${i.message}`}>{i.path ? `${i.path}: ${i.message}` : i.message}</li>
                ))}
              </ul>
            ) : null}
          </Notice>
        ) : null}
      </div>

      <div className="field">
        <label htmlFor={id("name")}>Name</label>
        <input
          id={id("name")}
          type="text"
          value={values.name}
          onChange={(e) => set("name", e.target.value)}
          aria-invalid={hasError(errors, "name")}
          aria-describedby={describedBy("name")}
          autoComplete="off"
          required
        />
        <FieldError id={id("name-error")} errors={errors} path="name" />
      </div>

      <div className="field">
        <label htmlFor={id("slug")}>
          Slug <span className="optional">(optional)</span>
        </label>
        <input
          id={id("slug")}
          type="text"
          value={values.slug}
          onChange={(e) => set("slug", e.target.value)}
          aria-invalid={hasError(errors, "slug")}
          aria-describedby={describedBy("slug", true)}
          autoComplete="off"
          spellCheck={false}
          className="mono"
        />
        <p className="hint" id={id("slug-hint")}>
          The site&apos;s address in Outpost, e.g. <code>madrid-store-12</code>. Leave empty to derive it from
          the name.
        </p>
        <FieldError id={id("slug-error")} errors={errors} path="slug" />
      </div>

      <div className="field">
        <label htmlFor={id("kind")}>Kind</label>
        <select
          id={id("kind")}
          value={values.kind}
          onChange={(e) => {
            const kind = e.target.value as SiteKind;
            setValues((v) => ({
              ...v,
              kind,
              contactMode: kind === "vehicle" && !isEdit ? "intermittent" : v.contactMode,
            }));
          }}
          aria-invalid={hasError(errors, "kind")}
          aria-describedby={describedBy("kind")}
        >
          {SITE_KINDS.map((k) => (
            <option key={k} value={k}>
              {SITE_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <FieldError id={id("kind-error")} errors={errors} path="kind" />
      </div>

      <fieldset>
        <legend>
          Location <span className="optional">(optional, decimal degrees)</span>
        </legend>
        <div className="field-row">
          <div className="field">
            <label htmlFor={id("latitude")}>Latitude</label>
            <input
              id={id("latitude")}
              type="text"
              inputMode="decimal"
              value={values.latitude}
              placeholder="40.4168"
              onChange={(e) => set("latitude", e.target.value)}
              aria-invalid={hasError(errors, "latitude")}
              aria-describedby={describedBy("latitude")}
            />
            <FieldError id={id("latitude-error")} errors={errors} path="latitude" />
          </div>
          <div className="field">
            <label htmlFor={id("longitude")}>Longitude</label>
            <input
              id={id("longitude")}
              type="text"
              inputMode="decimal"
              value={values.longitude}
              placeholder="-3.7038"
              onChange={(e) => set("longitude", e.target.value)}
              aria-invalid={hasError(errors, "longitude")}
              aria-describedby={describedBy("longitude")}
            />
            <FieldError id={id("longitude-error")} errors={errors} path="longitude" />
          </div>
        </div>
      </fieldset>

      <div className="field">
        <label htmlFor={id("labels")}>
          Labels <span className="optional">(optional, one key=value per line)</span>
        </label>
        <textarea
          id={id("labels")}
          rows={4}
          value={values.labels}
          placeholder={"region=eu-south\ntier=pilot"}
          onChange={(e) => set("labels", e.target.value)}
          aria-invalid={hasError(errors, "labels")}
          aria-describedby={describedBy("labels", true)}
          spellCheck={false}
        />
        <p className="hint" id={id("labels-hint")}>
          Keys follow Kubernetes label rules (e.g. <code>region</code> or <code>example.com/tier</code>).
          Deployments pick sites by label.
        </p>
        <FieldError id={id("labels-error")} errors={errors} path="labels" />
      </div>

      <fieldset aria-describedby={hasError(errors, "contactMode") ? id("contactMode-error") : undefined}>
        <legend>Contact</legend>
        {CONTACT_MODES.map((mode) => (
          <label key={mode} className="choice">
            <input
              type="radio"
              name={id("contactMode")}
              value={mode}
              checked={values.contactMode === mode}
              onChange={() => set("contactMode", mode)}
            />
            <span>
              <strong>{mode === "continuous" ? "Continuous" : "Intermittent"}</strong>
              <span className="hint" style={{ display: "block", margin: 0 }}>
                {CONTACT_MODE_HINTS[mode]}
              </span>
            </span>
          </label>
        ))}
        <FieldError id={id("contactMode-error")} errors={errors} path="contactMode" />
      </fieldset>

      {hasWindows ? (
        <fieldset data-testid="offline-windows">
          <legend>Expected offline windows</legend>
          <p className="hint" style={{ marginBottom: "0.75rem" }}>
            Daily times when this site is expected to be unreachable (e.g. a truck parked overnight outside
            coverage). Outpost does not alert during them.
          </p>
          {values.windows.map((w, index) => (
            <fieldset key={w.key} className="window-row">
              <legend className="visually-hidden">Window {index + 1}</legend>
              <div className="field">
                <label htmlFor={id(`w${index}-start`)}>Start</label>
                <input
                  id={id(`w${index}-start`)}
                  type="time"
                  value={w.start}
                  onChange={(e) => setWindow(w.key, { start: e.target.value })}
                  aria-invalid={hasError(errors, `expectedOfflineWindows.${index}.start`)}
                />
              </div>
              <div className="field">
                <label htmlFor={id(`w${index}-end`)}>End</label>
                <input
                  id={id(`w${index}-end`)}
                  type="time"
                  value={w.end}
                  onChange={(e) => setWindow(w.key, { end: e.target.value })}
                  aria-invalid={hasError(errors, `expectedOfflineWindows.${index}.end`)}
                />
              </div>
              <div className="field">
                <label htmlFor={id(`w${index}-tz`)}>Time zone</label>
                <input
                  id={id(`w${index}-tz`)}
                  type="text"
                  list={id("tz-list")}
                  value={w.timeZone}
                  onChange={(e) => setWindow(w.key, { timeZone: e.target.value })}
                  aria-invalid={hasError(errors, `expectedOfflineWindows.${index}.timeZone`)}
                  spellCheck={false}
                />
              </div>
              <div className="field">
                <button
                  type="button"
                  className="button button--ghost"
                  onClick={() =>
                    setValues((v) => ({ ...v, windows: v.windows.filter((x) => x.key !== w.key) }))
                  }
                  aria-label={`Remove window ${index + 1}`}
                >
                  Remove
                </button>
              </div>
              <div style={{ gridColumn: "1 / -1" }}>
                <FieldError
                  id={id(`w${index}-error`)}
                  errors={errors}
                  path={`expectedOfflineWindows.${index}`}
                />
              </div>
            </fieldset>
          ))}
          <datalist id={id("tz-list")}>
            {COMMON_TIME_ZONES.map((tz) => (
              <option key={tz} value={tz} />
            ))}
          </datalist>
          <FieldError
            id={id("expectedOfflineWindows-error")}
            errors={{ expectedOfflineWindows: errors.expectedOfflineWindows ?? [] }}
            path="expectedOfflineWindows"
          />
          <div className="field">
            <button
              type="button"
              className="button"
              onClick={() =>
                setValues((v) => ({
                  ...v,
                  windows: [
                    ...v.windows,
                    { key: nextRowKey++, start: "22:00", end: "06:00", timeZone: "UTC" },
                  ],
                }))
              }
            >
              Add window
            </button>
          </div>
        </fieldset>
      ) : null}

      <div className="field">
        <label htmlFor={id("maxSilenceMinutes")}>
          Longest normal silence, in minutes <span className="optional">(optional)</span>
        </label>
        <input
          id={id("maxSilenceMinutes")}
          type="text"
          inputMode="numeric"
          value={values.maxSilenceMinutes}
          placeholder={values.contactMode === "intermittent" ? "240" : "15"}
          onChange={(e) => set("maxSilenceMinutes", e.target.value)}
          aria-invalid={hasError(errors, "maxSilenceMinutes")}
          aria-describedby={describedBy("maxSilenceMinutes", true)}
          style={{ maxWidth: "12rem" }}
        />
        <p className="hint" id={id("maxSilenceMinutes-hint")}>
          How long this site may stay silent before Outpost calls it missing. Empty uses the fleet default.
        </p>
        <FieldError id={id("maxSilenceMinutes-error")} errors={errors} path="maxSilenceMinutes" />
      </div>

      <div className="field">
        <label htmlFor={id("tempWarnCelsius")}>
          Hot above, in °C <span className="optional">(optional)</span>
        </label>
        <input
          id={id("tempWarnCelsius")}
          type="text"
          inputMode="decimal"
          value={values.tempWarnCelsius}
          placeholder="80"
          onChange={(e) => set("tempWarnCelsius", e.target.value)}
          aria-invalid={hasError(errors, "tempWarnCelsius")}
          aria-describedby={describedBy("tempWarnCelsius", true)}
          style={{ maxWidth: "12rem" }}
        />
        <p className="hint" id={id("tempWarnCelsius-hint")}>
          The site level of the temperature threshold chain: a node above it is hot and raises the temperature
          alert. Empty inherits the site kind's or the fleet default; clusters and nodes can override it on
          the site page.
        </p>
        <FieldError id={id("tempWarnCelsius-error")} errors={errors} path="tempWarnCelsius" />
      </div>

      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : isEdit ? "Save changes" : "Create site"}
        </button>
        <Link className="button button--ghost" href={site ? `/sites/${site.slug}` : "/sites"}>
          Cancel
        </Link>
      </div>
    </form>
  );
}
