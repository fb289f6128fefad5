"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/queries/api";
import {
  type EmbedGrantView,
  embedGrantKeys,
  fetchGrantEvents,
  fetchGrants,
  GRANT_LIST_REFETCH_MS,
  type GrantCreated,
  reissueGrant,
  revokeGrant,
} from "@/lib/queries/embed-grants";
import { GrantCredential } from "./grant-credential";
import { GrantTable } from "./grant-table";

/** Container: the embed grants this user may manage (all for admins), live, with revoke / reissue / audit. */
export function GrantsManager({ initial, isAdmin }: { initial: EmbedGrantView[]; isAdmin: boolean }) {
  const queryClient = useQueryClient();
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<{ tone: "ok" | "danger"; text: string } | null>(null);
  const [reissued, setReissued] = useState<GrantCreated | null>(null);
  const [eventsFor, setEventsFor] = useState<EmbedGrantView | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);

  const list = useQuery({
    queryKey: embedGrantKeys.list(),
    queryFn: ({ signal }) => fetchGrants(undefined, signal),
    initialData: { items: initial },
    refetchInterval: GRANT_LIST_REFETCH_MS,
  });
  const events = useQuery({
    queryKey: embedGrantKeys.events(eventsFor?.id ?? ""),
    queryFn: ({ signal }) => fetchGrantEvents(eventsFor?.id ?? "", signal),
    enabled: eventsFor !== null,
  });

  const busy = (id: string, on: boolean) =>
    setBusyIds((s) => {
      const n = new Set(s);
      if (on) n.add(id);
      else n.delete(id);
      return n;
    });

  const revoke = useMutation({
    mutationFn: (g: EmbedGrantView) => revokeGrant(g.id),
    onMutate: (g) => busy(g.id, true),
    onSuccess: () =>
      setMessage({ tone: "ok", text: "Embed revoked: portals show “revoked” from their next refresh." }),
    onError: (err) => setMessage({ tone: "danger", text: errorMessage(err) }),
    onSettled: async (_d, _e, g) => {
      busy(g.id, false);
      await queryClient.invalidateQueries({ queryKey: embedGrantKeys.all });
    },
  });
  // gcTime 0: the response carrying the new credential does not linger in the cache.
  const reissue = useMutation({
    mutationFn: (g: EmbedGrantView) => reissueGrant(g.id),
    gcTime: 0,
    onMutate: (g) => busy(g.id, true),
    onSuccess: (res) => {
      setReissued(res);
      setMessage(null);
      dialogRef.current?.showModal();
    },
    onError: (err) => setMessage({ tone: "danger", text: errorMessage(err) }),
    onSettled: async (_d, _e, g) => {
      busy(g.id, false);
      await queryClient.invalidateQueries({ queryKey: embedGrantKeys.all });
    },
  });

  return (
    <>
      <PageHeader
        title="Embeds"
        description={
          isAdmin
            ? "Every embed grant in Outpost: where it may be shown, how much it is used, and how to stop it."
            : "Your embed grants: where they may be shown, how much they are used, and how to stop them."
        }
      />
      <div aria-live="polite">
        {message ? (
          <Notice
            tone={message.tone}
            title={message.text}
            role={message.tone === "danger" ? "alert" : "status"}
          />
        ) : null}
      </div>
      <GrantTable
        grants={list.data.items}
        busyIds={busyIds}
        onRevoke={(g) => revoke.mutate(g)}
        onReissue={(g) => reissue.mutate(g)}
        onEvents={(g) => setEventsFor(g)}
      />
      {eventsFor ? (
        <section className="card" aria-labelledby="grant-events-title" data-testid="grant-events">
          <h2 id="grant-events-title">Audit of this embed</h2>
          {events.isPending ? <p className="muted">Loading…</p> : null}
          {events.isError ? <p className="field-error">{errorMessage(events.error)}</p> : null}
          <ul className="stack">
            {(events.data?.items ?? []).map((e) => (
              <li key={e.id}>
                <span className="mono">{e.at.replace("T", " ").slice(0, 19)} UTC</span> · {e.action} ·{" "}
                {e.actorName}
                {typeof e.detail.reason === "string" ? ` · ${e.detail.reason}` : ""}
                {typeof e.detail.origin === "string" ? ` · ${e.detail.origin}` : ""}
                {typeof e.detail.similarSinceLast === "number"
                  ? ` (+${e.detail.similarSinceLast} similar)`
                  : ""}
              </li>
            ))}
          </ul>
          <button type="button" className="button button--small" onClick={() => setEventsFor(null)}>
            Close
          </button>
        </section>
      ) : null}
      <dialog
        ref={dialogRef}
        className="embed-dialog"
        aria-label="New embed credential"
        onClose={() => setReissued(null)}
      >
        {reissued ? (
          <div className="stack">
            <h2>New {reissued.credential.type === "link" ? "link" : "signing secret"}</h2>
            <GrantCredential created={reissued} theme="auto" />
            <form method="dialog" className="form-actions">
              <button type="submit" className="button button--primary">
                Done
              </button>
            </form>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
