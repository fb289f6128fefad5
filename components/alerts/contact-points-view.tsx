"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { Ago } from "@/components/health/age";
import { useNow } from "@/components/hooks/use-now";
import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { CopyBox } from "@/components/ui/copy-box";
import { FieldError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { formatDateTime } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import type { ContactPointKind } from "@/lib/alerts/contact-point-schemas";
import {
  ALERT_SETTINGS_POLL_MS,
  alertKeys,
  type ContactPointView,
  createContactPoint,
  DELIVERIES_POLL_MS,
  deleteContactPoint,
  fetchContactPoints,
  fetchDeliveries,
  fetchReceived,
  testContactPoint,
} from "@/lib/queries/alerts";
import { errorMessage, isApiError } from "@/lib/queries/api";

/** Container: contact points (admin) — add, test, remove; the demo sink's inbox; the delivery log. */
export function ContactPointsView({ initial }: { initial: ContactPointView[] }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<ContactPointKind>("webhook");
  const [url, setUrl] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [tested, setTested] = useState<Record<string, string>>({});
  const list = useQuery({
    queryKey: alertKeys.contactPoints(),
    queryFn: ({ signal }) => fetchContactPoints(signal),
    initialData: { contactPoints: initial },
    refetchInterval: ALERT_SETTINGS_POLL_MS,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: alertKeys.all });
  const create = useMutation({
    mutationFn: () => createContactPoint({ name, kind, url }),
    onMutate: () => setErrors({}),
    onSuccess: async (r) => {
      setSecret({ name: r.contactPoint.name, secret: r.secret });
      setName("");
      setUrl("");
      await refresh();
    },
    onError: (err) => setErrors(isApiError(err) ? issuesToErrors(err.issues) : {}),
  });
  const test = useMutation({
    mutationFn: testContactPoint,
    onSuccess: async (r, cpId) => {
      const o = r.outcome;
      setTested((t) => ({
        ...t,
        [cpId]: o.isOk
          ? `delivered: HTTP ${o.statusCode} in ${o.latencyMs} ms`
          : `failed: ${o.error} (${o.latencyMs} ms)`,
      }));
      await refresh();
    },
    onError: (err, cpId) => setTested((t) => ({ ...t, [cpId]: errorMessage(err) })),
  });
  const remove = useMutation({ mutationFn: deleteContactPoint, onSuccess: refresh });
  const cps = list.data.contactPoints;
  return (
    <div className="stack">
      {secret ? (
        <Notice tone="ok" title={`Signing secret of ${secret.name} — shown once`} role="status">
          <p>
            Every request carries <code>X-Outpost-Signature: t=&lt;unix s&gt;,v1=&lt;hex&gt;</code>, the
            HMAC-SHA256 of <code>&lt;t&gt;.&lt;body&gt;</code> with this secret, and an{" "}
            <code>Idempotency-Key</code> to drop duplicates.
          </p>
          <CopyBox value={secret.secret} label="Signing secret" />
        </Notice>
      ) : null}
      <section className="card" aria-labelledby="cp-list-title">
        <h2 id="cp-list-title">Contact points</h2>
        {cps.length === 0 ? <p className="muted">None yet.</p> : null}
        <ul className="plain-list" data-testid="contact-points">
          {cps.map((c) => (
            <li key={c.id} data-testid={`contact-point-${c.name}`}>
              <strong>{c.name}</strong>{" "}
              <Badge tone="neutral">{c.kind === "slack" ? "Slack" : "webhook"}</Badge>{" "}
              {c.isDemoSink ? <Badge tone="info">demo sink</Badge> : null}{" "}
              <span className="mono small">{c.url}</span>{" "}
              {c.isEnabled ? null : <span className="muted">(disabled)</span>}
              <div className="toolbar">
                <button
                  type="button"
                  className="button button--small"
                  disabled={test.isPending}
                  onClick={() => test.mutate(c.id)}
                >
                  Send test notification
                </button>
                <ConfirmButton
                  label="Delete"
                  className="button button--small button--danger"
                  title={`Delete ${c.name}?`}
                  confirmLabel="Delete contact point"
                  onConfirm={() => remove.mutate(c.id)}
                  isBusy={remove.isPending}
                >
                  <p>Rules stop sending to it; its delivery log goes too.</p>
                </ConfirmButton>
                {tested[c.id] ? (
                  <span role="status" data-testid="test-result">
                    {tested[c.id]}
                  </span>
                ) : null}
              </div>
              {c.isDemoSink ? <ReceivedMessages contactPointId={c.id} /> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="cp-new-title">
        <h2 id="cp-new-title">Add a contact point</h2>
        <form
          className="form"
          aria-label="Add a contact point"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${id}-name`}>Name</label>
              <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
              <FieldError id={`${id}-name-e`} errors={errors} path="name" />
            </div>
            <div className="field field--narrow">
              <label htmlFor={`${id}-kind`}>Format</label>
              <select
                id={`${id}-kind`}
                value={kind}
                onChange={(e) => setKind(e.target.value as ContactPointKind)}
              >
                <option value="webhook">Webhook (Alertmanager v4 superset)</option>
                <option value="slack">Slack incoming webhook</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-url`}>URL</label>
              <input
                id={`${id}-url`}
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                placeholder="https://…"
              />
              <FieldError id={`${id}-url-e`} errors={errors} path="url" />
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={create.isPending}>
              Add
            </button>
          </div>
          {create.isError && Object.keys(errors).length === 0 ? (
            <Notice tone="danger" title="Could not add it" role="alert">
              <p>{errorMessage(create.error)}</p>
            </Notice>
          ) : null}
        </form>
      </section>
      <DeliveryLog />
    </div>
  );
}

/** The demo sink's inbox: what it received, whether the signature held, duplicates it dropped. */
function ReceivedMessages({ contactPointId }: { contactPointId: string }) {
  const now = useNow() ?? Date.now();
  const q = useQuery({
    queryKey: alertKeys.received(contactPointId),
    queryFn: ({ signal }) => fetchReceived(contactPointId, signal),
    refetchInterval: DELIVERIES_POLL_MS,
  });
  const messages = q.data?.received.messages ?? [];
  return (
    <details open data-testid="demo-sink-messages">
      <summary>Received by the demo sink ({messages.length})</summary>
      {q.isError ? <p className="muted">{errorMessage(q.error)}</p> : null}
      <ul className="plain-list small">
        {messages.slice(0, 20).map((m) => (
          <li key={`${m.receivedAt}-${m.idempotencyKey}`}>
            <Ago iso={m.receivedAt} now={now} /> — {m.status ?? "?"}: {m.summary}{" "}
            {m.isSignatureValid ? (
              <Badge tone="ok">signature ok</Badge>
            ) : (
              <Badge tone="danger">bad signature</Badge>
            )}{" "}
            {m.isDuplicate ? <Badge tone="neutral">duplicate, dropped</Badge> : null}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** Every notification and each attempt: status code and latency. */
function DeliveryLog() {
  const q = useQuery({
    queryKey: alertKeys.deliveries(null),
    queryFn: ({ signal }) => fetchDeliveries(null, signal),
    refetchInterval: DELIVERIES_POLL_MS,
  });
  const deliveries = q.data?.deliveries ?? [];
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      {deliveries.length === 0 ? <p className="muted">Nothing sent yet.</p> : null}
      <div className="table-wrap">
        <table data-testid="delivery-log">
          <caption className="visually-hidden">Deliveries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Queued</th>
              <th scope="col">To</th>
              <th scope="col">What</th>
              <th scope="col">State</th>
              <th scope="col">Attempts (status, latency)</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td className="nowrap">{formatDateTime(d.createdAt)}</td>
                <td>{d.contactPoint.name}</td>
                <td>
                  {d.status} · {d.reason} · {d.alertCount} alert{d.alertCount === 1 ? "" : "s"}
                  <br />
                  <span className="small muted">{d.summary}</span>
                </td>
                <td>
                  <Badge tone={d.state === "delivered" ? "ok" : d.state === "failed" ? "danger" : "warn"}>
                    {d.state}
                  </Badge>
                </td>
                <td className="small">
                  {d.attemptLog.map((a) => (
                    <span key={`${a.attempt}-${a.at}`}>
                      #{a.attempt} {a.statusCode ?? a.error ?? "?"} {a.latencyMs} ms
                      <br />
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
