"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { errorMessage } from "@/lib/queries/api";
import {
  deploymentKeys,
  fetchRollout,
  ROLLOUT_REFETCH_MS,
  type RolloutDetail,
  resumeRollout,
  rollbackRollout,
  rolloutAction,
} from "@/lib/queries/deployments";
import styles from "./deploy.module.css";
import { ProgressBar } from "./progress-bar";
import { RolloutTargets } from "./rollout-targets";
import { RolloutStateBadge } from "./state-badges";

const ACTIVE = new Set(["running", "paused"]);

/** Container: one rollout, live — state, waves, actions, targets, events. */
export function RolloutPanel({ initial, isOperator }: { initial: RolloutDetail; isOperator: boolean }) {
  const query = useQuery({
    queryKey: deploymentKeys.rollout(initial.id),
    queryFn: ({ signal }) => fetchRollout(initial.id, signal).then((r) => r.rollout),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.state) ? ROLLOUT_REFETCH_MS : false),
  });
  const r = query.data;
  return (
    <section aria-labelledby={`rollout-${r.id}-title`} className="card stack" data-testid="rollout">
      <div className={styles.inline}>
        <h2 id={`rollout-${r.id}-title`}>
          {r.kind === "rollback" ? "Rollback" : r.kind === "restart" ? "Restart" : "Rollout"}
          {r.revision ? ` of revision ${r.revision}` : ""}
        </h2>
        <span data-testid="rollout-state">
          <RolloutStateBadge state={r.state} />
        </span>
      </div>
      <p data-testid="rollout-reason">
        {r.stateReason}{" "}
        <span className="muted">
          (since <RelativeTime iso={r.stateSince} />)
        </span>
      </p>
      {query.isError ? (
        <Notice tone="warn" title="Showing the last known state" role="status">
          <p>{errorMessage(query.error)}</p>
        </Notice>
      ) : null}
      <dl className="facts">
        <dt>Targets</dt>
        <dd>
          {r.selectorText} — {r.progress.total} cluster{r.progress.total === 1 ? "" : "s"}
        </dd>
        <dt>Strategy</dt>
        <dd>{r.strategyText}</dd>
        {r.restart ? (
          <>
            <dt>Workloads</dt>
            <dd>{r.restart}</dd>
          </>
        ) : null}
        {r.fromRevision ? (
          <>
            <dt>Replaces</dt>
            <dd>revision {r.fromRevision}</dd>
          </>
        ) : null}
        <dt>Started</dt>
        <dd>
          by {r.createdByName}, <RelativeTime iso={r.createdAt} />
          {r.force ? " — forced (takes field ownership)" : ""}
        </dd>
      </dl>
      <ProgressBar progress={r.progress} label="whole rollout" />
      {isOperator ? <RolloutActions rollout={r} /> : null}
      <h3>Waves</h3>
      <ol className={styles.waves} data-testid="waves">
        {r.waves.map((w) => (
          <li
            key={w.index}
            className={`${styles.wave} ${w.index === r.currentWave && ACTIVE.has(r.state) ? styles.waveCurrent : ""}`}
            data-testid={`wave-${w.index}`}
          >
            <div>
              {w.name} <span className="muted">({w.size})</span>
              <div className="muted">{waveStatus(w, r)}</div>
            </div>
            <ProgressBar progress={w.progress} label={w.name} />
          </li>
        ))}
      </ol>
      <RolloutTargets rollout={r} />
      <details>
        <summary>Events ({r.events.length})</summary>
        <ul className="plain-list" data-testid="rollout-events">
          {r.events.map((e) => (
            <li key={`${e.at}:${e.message}`}>
              <RelativeTime iso={e.at} /> — {e.message}
              {e.actorName ? <span className="muted"> ({e.actorName})</span> : null}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function waveStatus(w: RolloutDetail["waves"][number], r: RolloutDetail): string {
  if (w.doneAt) return "done";
  if (w.soakUntil) return w.soakUntil > Date.now() ? "soaking" : "soak over";
  if (w.settledAt) return "settled";
  if (w.startedAt) return r.state === "paused" ? "paused" : "rolling out";
  return "not started";
}

/** Renderer + mutations: what an operator can do with the rollout in its state. */
function RolloutActions({ rollout: r }: { rollout: RolloutDetail }) {
  const qc = useQueryClient();
  const router = useRouter();
  const refresh = () => qc.invalidateQueries({ queryKey: deploymentKeys.all });
  const act = useMutation({
    mutationFn: (a: "pause" | "abort" | "resume" | "retry") =>
      a === "resume" || a === "retry" ? resumeRollout(r.id, a === "retry") : rolloutAction(r.id, a),
    onSettled: refresh,
  });
  const rollback = useMutation({
    mutationFn: () => rollbackRollout(r.id),
    onSuccess: (res) => {
      refresh();
      router.push(`/deployments/${encodeURIComponent(r.deploymentName)}/rollouts/${res.id}`);
    },
  });
  const busy = act.isPending || rollback.isPending;
  const error = act.error ?? rollback.error;
  return (
    <div className="stack">
      <div className="form-actions" data-testid="rollout-actions">
        {r.state === "running" ? (
          <button type="button" className="button" onClick={() => act.mutate("pause")} disabled={busy}>
            Pause
          </button>
        ) : null}
        {r.state === "paused" ? (
          <>
            <button
              type="button"
              className="button button--primary"
              onClick={() => act.mutate("resume")}
              disabled={busy}
            >
              Resume
            </button>
            {r.progress.failed > 0 ? (
              <button type="button" className="button" onClick={() => act.mutate("retry")} disabled={busy}>
                Retry failed and resume
              </button>
            ) : null}
          </>
        ) : null}
        {ACTIVE.has(r.state) ? (
          <ConfirmButton
            label="Abort"
            title="Abort this rollout?"
            confirmLabel="Abort rollout"
            onConfirm={() => act.mutate("abort")}
            isBusy={busy}
          >
            <p>Targets not yet applied are cancelled. What was applied stays as it is.</p>
          </ConfirmButton>
        ) : null}
        {r.kind === "apply" && r.state !== "rolled-back" && r.progress.done + r.progress.failed > 0 ? (
          <ConfirmButton
            label="Roll back"
            title="Roll back to the previous revision?"
            confirmLabel="Roll back"
            onConfirm={() => rollback.mutate()}
            isBusy={busy}
            className="button"
          >
            <p>
              The previous revision is re-applied through the same waves, and objects this revision added are
              pruned.
            </p>
          </ConfirmButton>
        ) : null}
      </div>
      {error ? (
        <Notice tone="danger" title="Not done" role="alert">
          <p>{errorMessage(error)}</p>
        </Notice>
      ) : null}
    </div>
  );
}
