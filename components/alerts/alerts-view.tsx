"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { RefreshStatus } from "@/components/health/refresh-status";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { serverNow, useNow } from "@/components/hooks/use-now";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { RULE_KIND_LABELS, RULE_KINDS } from "@/lib/alerts/rules";
import type { Matcher } from "@/lib/alerts/silences";
import {
  ALERTS_POLL_MS,
  type AlertFilters,
  type AlertList,
  type AlertRow,
  acknowledgeAlert,
  alertFilterParams,
  alertKeys,
  createSilence,
  fetchAlerts,
} from "@/lib/queries/alerts";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { AlertHistory } from "./alert-history";
import { AlertTable } from "./alert-table";
import { SilenceForm } from "./silence-form";
import { SilencesPanel } from "./silences-panel";

const STATES = [
  { value: "firing", label: "Firing" },
  { value: "pending", label: "Pending" },
  { value: "clearing", label: "Clearing" },
  { value: "muted", label: "Muted" },
  { value: "suppressed", label: "Suppressed" },
];

function matchersFor(a: AlertRow): Matcher[] {
  const m: Matcher[] = [{ name: "site", op: "=", value: a.site.slug }];
  if (a.node) m.push({ name: "node", op: "=", value: a.node });
  m.push({ name: "rule", op: "=", value: a.ruleId });
  return m;
}

/** Container: the alerts page — live list with filters in the address, acknowledging and silencing. */
export function AlertsView({
  initialFilters,
  initial,
  isOperator,
}: {
  initialFilters: AlertFilters;
  initial: AlertList;
  isOperator: boolean;
}) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<string[]>(initialFilters.state);
  const [severity, setSeverity] = useState(initialFilters.severity);
  const [kind, setKind] = useState(initialFilters.kind);
  const [q, setQ] = useState(initialFilters.q);
  const [site, setSite] = useState(initialFilters.site);
  const debouncedQ = useDebouncedValue(q, 300);
  const debouncedSite = useDebouncedValue(site, 300);
  const filters = useMemo<AlertFilters>(
    () => ({ state, severity, kind, site: debouncedSite.trim(), q: debouncedQ.trim() }),
    [state, severity, kind, debouncedQ, debouncedSite],
  );
  const isInitial = alertFilterParams(filters).toString() === alertFilterParams(initialFilters).toString();
  const list = useQuery({
    queryKey: alertKeys.list(filters),
    queryFn: ({ signal }) => fetchAlerts(filters, signal),
    initialData: isInitial ? initial : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: ALERTS_POLL_MS,
  });
  useEffect(() => {
    const search = alertFilterParams(filters).toString();
    const target = `${window.location.pathname}${search ? `?${search}` : ""}`;
    if (target !== `${window.location.pathname}${window.location.search}`)
      window.history.replaceState(null, "", target);
  }, [filters]);

  const [silencing, setSilencing] = useState<AlertRow | null>(null);
  const [silenceErrors, setSilenceErrors] = useState<FieldErrors>({});
  const refresh = () => queryClient.invalidateQueries({ queryKey: alertKeys.all });
  const ack = useMutation({ mutationFn: (a: AlertRow) => acknowledgeAlert(a.id), onSuccess: refresh });
  const silence = useMutation({
    mutationFn: createSilence,
    onMutate: () => setSilenceErrors({}),
    onSuccess: async () => {
      setSilencing(null);
      await refresh();
    },
    onError: (err) => setSilenceErrors(isApiError(err) ? issuesToErrors(err.issues) : {}),
  });

  const now = useNow();
  const data = list.data ?? initial;
  const clock = serverNow(data.generatedAt, list.isPlaceholderData ? 0 : list.dataUpdatedAt, now);
  const ageMs = now === null || list.dataUpdatedAt <= 0 ? null : Math.max(0, now - list.dataUpdatedAt);
  const open = data.items.filter((a) => !a.mutedBy && !a.suppressed);
  const quiet = data.items.filter((a) => a.mutedBy || a.suppressed);
  const toggle = (s: string) =>
    setState((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));

  return (
    <div className="stack">
      <RefreshStatus
        ageMs={ageMs}
        oldAfterMs={3 * ALERTS_POLL_MS}
        errorText={list.isError ? errorMessage(list.error) : null}
        testId="alerts-refresh"
      />
      <dl className="stat-grid" data-testid="alert-counts">
        <div className="stat stat--primary">
          <dt className="stat-label">Firing</dt>
          <dd className="stat-value">{data.counts.firing}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Critical</dt>
          <dd className="stat-value">{data.counts.critical}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Pending</dt>
          <dd className="stat-value">{data.counts.pending}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Muted</dt>
          <dd className="stat-value">{data.counts.muted}</dd>
        </div>
        <div className="stat">
          <dt className="stat-label">Suppressed (site dark)</dt>
          <dd className="stat-value">{data.counts.suppressed}</dd>
        </div>
      </dl>
      <search className="toolbar" aria-label="Filter alerts">
        <fieldset className="choice">
          <legend>State</legend>
          {STATES.map((s) => (
            <label key={s.value}>
              <input type="checkbox" checked={state.includes(s.value)} onChange={() => toggle(s.value)} />{" "}
              {s.label}
            </label>
          ))}
        </fieldset>
        <div className="field field--narrow">
          <label htmlFor="alerts-severity">Severity</label>
          <select
            id="alerts-severity"
            value={severity}
            onChange={(e) => setSeverity(e.target.value as AlertFilters["severity"])}
          >
            <option value="">Any</option>
            <option value="critical">Critical</option>
            <option value="warning">Warning</option>
          </select>
        </div>
        <div className="field field--narrow">
          <label htmlFor="alerts-kind">Kind</label>
          <select id="alerts-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">Any</option>
            {RULE_KINDS.map((k) => (
              <option key={k} value={k}>
                {RULE_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--narrow">
          <label htmlFor="alerts-site">Site</label>
          <input
            id="alerts-site"
            value={site}
            placeholder="slug"
            maxLength={64}
            spellCheck={false}
            onChange={(e) => setSite(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="alerts-q">Search</label>
          <input
            id="alerts-q"
            type="search"
            value={q}
            placeholder="Site, node or rule"
            maxLength={100}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
      </search>
      {ack.isError ? (
        <Notice tone="danger" title="Could not acknowledge" role="alert">
          <p>{errorMessage(ack.error)}</p>
        </Notice>
      ) : null}
      {silencing ? (
        <section className="card" aria-labelledby="silence-title">
          <h2 id="silence-title">
            Silence {silencing.ruleName} at {silencing.site.name}
            {silencing.node ? ` (${silencing.node})` : ""}
          </h2>
          <SilenceForm
            initial={matchersFor(silencing)}
            isBusy={silence.isPending}
            errors={silenceErrors}
            onCancel={() => setSilencing(null)}
            onSubmit={(input) => silence.mutate(input)}
          />
        </section>
      ) : null}
      <section aria-labelledby="alerts-open-title" className="stack">
        <h2 id="alerts-open-title">Firing and pending</h2>
        {open.length === 0 ? (
          <p className="empty" data-testid="alerts-none">
            Nothing is firing
            {filters.q || state.length > 0 || severity || kind ? " that matches these filters" : ""}.
          </p>
        ) : (
          <AlertTable
            alerts={open}
            now={clock}
            caption="Firing and pending alerts"
            onAcknowledge={isOperator ? (a) => ack.mutate(a) : undefined}
            onSilence={isOperator ? (a) => setSilencing(a) : undefined}
            busyId={ack.isPending ? (ack.variables?.id ?? null) : null}
          />
        )}
      </section>
      {quiet.length > 0 ? (
        <section aria-labelledby="alerts-quiet-title" className="stack">
          <h2 id="alerts-quiet-title">Silenced, muted and suppressed</h2>
          <p className="hint">
            Visible here, announced to nobody: a silence, maintenance or an expected-offline window mutes
            them; a dark site's node alerts are suppressed while its one "site unreachable" alert stands for
            them.
          </p>
          <AlertTable alerts={quiet} now={clock} caption="Muted and suppressed alerts" />
        </section>
      ) : null}
      <SilencesPanel canEdit={isOperator} />
      <section aria-labelledby="alerts-history-title" className="card">
        <h2 id="alerts-history-title">Recent history</h2>
        <AlertHistory events={data.history} now={clock} />
      </section>
    </div>
  );
}
