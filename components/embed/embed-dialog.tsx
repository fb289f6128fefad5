"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useMemo, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import {
  DEFAULT_EXPIRY_DAYS,
  EMBED_KIND_LABELS,
  EMBED_RANGE_LABELS,
  EMBED_RANGES,
  type EmbedKind,
  type EmbedMode,
  type EmbedRange,
  type EmbedTheme,
  isChartKind,
  isSiteEmbed,
  MAX_EXPIRY_DAYS,
  rangesBetween,
  type SiteFilter,
} from "@/lib/embed/model";
import { type GrantCreateInput, grantCreateSchema } from "@/lib/embed/schemas";
import { SITE_KIND_LABELS, SITE_KINDS } from "@/lib/fleet/schemas";
import { errorMessage, isApiError } from "@/lib/queries/api";
import {
  createGrant,
  embedGrantKeys,
  type GrantCreated,
  PREVIEW_DEBOUNCE_MS,
  previewUrl,
} from "@/lib/queries/embed-grants";
import { GrantCredential } from "./grant-credential";

// The Embed dialog: what is embedded comes from the button's place (this
// site's temperature chart, the fleet strip…); the operator chooses who may
// frame it, for how long, which ranges, and link or signed mode, sees a live
// preview, and gets the snippet (and the secret) exactly once.

export interface EmbedTarget {
  kind: EmbedKind;
  site?: { id: string; slug: string; name: string };
  metric?: string;
  metricLabel?: string;
  filter?: SiteFilter;
  range?: EmbedRange;
}

const DAY_MS = 86_400_000;

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** One of the dialog's range pickers (shortest, longest, shown first). */
function RangeSelect({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: EmbedRange | undefined;
  options: readonly EmbedRange[];
  onChange: (range: EmbedRange) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as EmbedRange)}>
        {options.map((r) => (
          <option key={r} value={r}>
            {EMBED_RANGE_LABELS[r]}
          </option>
        ))}
      </select>
    </>
  );
}

export function EmbedDialogBody({ target, onDone }: { target: EmbedTarget; onDone: () => void }) {
  const uid = useId();
  const id = (n: string) => `${uid}-${n}`;
  const queryClient = useQueryClient();
  const isChart = isChartKind(target.kind);
  const [mode, setMode] = useState<EmbedMode>("link");
  const [portalPicksSite, setPortalPicksSite] = useState(false);
  const [filterKind, setFilterKind] = useState<string>(target.filter?.kind ?? "");
  const [label, setLabel] = useState(target.filter?.label ?? "");
  const initialRange =
    target.range && (EMBED_RANGES as readonly string[]).includes(target.range) ? target.range : "1h";
  const [minRange, setMinRange] = useState<EmbedRange>(initialRange === "15m" ? "15m" : "1h");
  const [maxRange, setMaxRange] = useState<EmbedRange>("24h");
  const [defaultRange, setDefaultRange] = useState<EmbedRange>(initialRange);
  const [origins, setOrigins] = useState("");
  const [expires, setExpires] = useState(() => isoDay(Date.now() + DEFAULT_EXPIRY_DAYS * DAY_MS));
  const [note, setNote] = useState("");
  const [theme, setTheme] = useState<EmbedTheme>("light");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<GrantCreated | null>(null);

  const ranges = useMemo(() => rangesBetween(minRange, maxRange), [minRange, maxRange]);
  const usesSite = isSiteEmbed(target.kind) && !(mode === "signed" && portalPicksSite);
  const filter: SiteFilter = {
    ...(filterKind ? { kind: filterKind as SiteFilter["kind"] } : {}),
    ...(label.trim() ? { label: label.trim() } : {}),
  };

  const input: GrantCreateInput = {
    kind: target.kind,
    mode,
    site: usesSite ? (target.site?.id ?? null) : null,
    filter: usesSite ? {} : filter,
    metric: target.kind === "turbine" ? (target.metric ?? null) : null,
    ranges: isChart ? ranges : [defaultRange],
    defaultRange: isChart
      ? ranges.includes(defaultRange)
        ? defaultRange
        : (ranges[0] ?? "1h")
      : defaultRange,
    origins: origins.split(/[\s,]+/).filter(Boolean),
    // End of the chosen day, UTC.
    expiresAt: expires ? `${expires}T23:59:59Z` : undefined,
    note,
  };

  const preview = useDebounced(
    previewUrl({
      kind: target.kind,
      site: target.site?.id,
      metric: target.metric ?? null,
      filterKind: usesSite ? undefined : filter.kind,
      label: usesSite ? undefined : filter.label,
      range: input.defaultRange ?? "1h",
      ranges: input.ranges ?? [],
      theme,
    }),
    PREVIEW_DEBOUNCE_MS,
  );

  const create = useMutation({
    mutationFn: (body: GrantCreateInput) => createGrant(body),
    onSuccess: async (res) => {
      setCreated(res);
      await queryClient.invalidateQueries({ queryKey: embedGrantKeys.all });
    },
    onError: (err) => {
      if (isApiError(err) && err.issues.length) setErrors(issuesToErrors(err.issues));
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = grantCreateSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    create.mutate(input);
  }

  const what = `${EMBED_KIND_LABELS[target.kind]}${target.metricLabel ? ` (${target.metricLabel})` : ""}`;
  const where = target.site ? target.site.name : "the fleet";

  if (created)
    return (
      <div className="stack" data-testid="embed-created">
        <h2>Embed ready: {what}</h2>
        <GrantCredential created={created} theme={theme} />
        <div className="form-actions">
          <button type="button" className="button button--primary" onClick={onDone}>
            Done
          </button>
        </div>
      </div>
    );

  return (
    <form onSubmit={submit} noValidate aria-label={`Embed ${what}`} className="embed-form">
      <h2>
        Embed {what} · {where}
      </h2>
      <div className="embed-grid">
        <div className="stack">
          <fieldset className="field">
            <legend className="field-label">How the portal shows it</legend>
            <label className="check">
              <input
                type="radio"
                name={id("mode")}
                checked={mode === "link"}
                onChange={() => setMode("link")}
              />{" "}
              Link: paste an iframe (simple portals)
            </label>
            <label className="check">
              <input
                type="radio"
                name={id("mode")}
                checked={mode === "signed"}
                onChange={() => setMode("signed")}
              />{" "}
              Signed: the portal's backend signs a 15-minute token per viewer
            </label>
          </fieldset>
          {isSiteEmbed(target.kind) && mode === "signed" ? (
            <label className="check">
              <input
                type="checkbox"
                checked={portalPicksSite}
                onChange={(e) => setPortalPicksSite(e.target.checked)}
              />{" "}
              Let the portal choose the site per viewer (within the filter below)
            </label>
          ) : null}
          {!usesSite ? (
            <div className="field-row">
              <div className="field">
                <label htmlFor={id("fkind")}>Site kind</label>
                <select id={id("fkind")} value={filterKind} onChange={(e) => setFilterKind(e.target.value)}>
                  <option value="">Any kind</option>
                  {SITE_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {SITE_KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={id("label")}>Label</label>
                <input
                  id={id("label")}
                  value={label}
                  onChange={(e) => setLabel(e.target.value)}
                  placeholder="region=north"
                  aria-describedby={id("label-hint")}
                />
                <p className="hint" id={id("label-hint")}>
                  key=value or key; the viewer cannot widen it
                </p>
              </div>
              <FieldError id={id("filter-error")} errors={errors} path="filter" />
            </div>
          ) : null}
          {isChart ? (
            <div className="field-row">
              <div className="field">
                <RangeSelect
                  id={id("min")}
                  label="Shortest range"
                  value={minRange}
                  options={EMBED_RANGES}
                  onChange={setMinRange}
                />
              </div>
              <div className="field">
                <RangeSelect
                  id={id("max")}
                  label="Longest range"
                  value={maxRange}
                  options={EMBED_RANGES}
                  onChange={setMaxRange}
                />
              </div>
              <div className="field">
                <RangeSelect
                  id={id("default")}
                  label="Shown first"
                  value={input.defaultRange}
                  options={ranges}
                  onChange={setDefaultRange}
                />
                <FieldError id={id("default-error")} errors={errors} path="defaultRange" />
              </div>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={id("origins")}>Portals allowed to show it (origins)</label>
            <textarea
              id={id("origins")}
              rows={2}
              value={origins}
              onChange={(e) => setOrigins(e.target.value)}
              placeholder="https://scada.example.com"
              aria-invalid={hasError(errors, "origins")}
              aria-describedby={`${id("origins-hint")} ${id("origins-error")}`}
            />
            <p className="hint" id={id("origins-hint")}>
              One per line, like https://portal.example.com or https://*.example.com. Browsers refuse to show
              the embed anywhere else.
            </p>
            <FieldError id={id("origins-error")} errors={errors} path="origins" />
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={id("expires")}>Expires on</label>
              <input
                id={id("expires")}
                type="date"
                value={expires}
                min={isoDay(Date.now() + DAY_MS)}
                max={isoDay(Date.now() + MAX_EXPIRY_DAYS * DAY_MS)}
                onChange={(e) => setExpires(e.target.value)}
                aria-describedby={id("expires-error")}
              />
              <FieldError id={id("expires-error")} errors={errors} path="expiresAt" />
            </div>
            <div className="field">
              <label htmlFor={id("theme")}>Theme</label>
              <select id={id("theme")} value={theme} onChange={(e) => setTheme(e.target.value as EmbedTheme)}>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
                <option value="auto">Follow the viewer's system</option>
              </select>
            </div>
          </div>
          <div className="field">
            <label htmlFor={id("note")}>Note</label>
            <input
              id={id("note")}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              placeholder="SCADA portal, control room wall"
              maxLength={500}
            />
            <FieldError id={id("note-error")} errors={errors} path="note" />
          </div>
          <FieldError id={id("site-error")} errors={errors} path="site" />
          <FieldError id={id("metric-error")} errors={errors} path="metric" />
          {create.isError && !(isApiError(create.error) && create.error.issues.length) ? (
            <Notice tone="danger" title="Could not create the embed" role="alert">
              <p>{errorMessage(create.error)}</p>
            </Notice>
          ) : null}
        </div>
        <div className="stack">
          <p className="field-label" id={id("preview-label")}>
            Live preview
          </p>
          <iframe
            title="Live preview of the embed"
            src={preview}
            width={600}
            height={300}
            className={`embed-preview embed-preview--${theme}`}
            aria-describedby={id("preview-label")}
            data-testid="embed-preview"
          />
          <p className="hint">Shown at 600 × 300; embeds work from 300 × 200 px upward.</p>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : mode === "link" ? "Create embed link" : "Create signed embed"}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
