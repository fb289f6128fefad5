"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { RelativeTime } from "@/components/ui/relative-time";
import { STATE_LABEL, TARGET_STATES } from "@/lib/deploy/target-state";
import {
  deploymentKeys,
  fetchTargets,
  ROLLOUT_REFETCH_MS,
  type RolloutDetail,
} from "@/lib/queries/deployments";
import { TargetStateBadge } from "./state-badges";

/** Container: a rollout's targets, paged, filterable by state, wave and text; live while it runs. */
export function RolloutTargets({ rollout }: { rollout: RolloutDetail }) {
  const [state, setState] = useState("");
  const [wave, setWave] = useState("");
  const [q, setQ] = useState("");
  const debounced = useDebouncedValue(q, 250);
  const filters = { state, wave, q: debounced };
  const isActive = rollout.state === "running" || rollout.state === "paused";
  const query = useInfiniteQuery({
    queryKey: deploymentKeys.targets(rollout.id, filters),
    queryFn: ({ pageParam, signal }) => fetchTargets(rollout.id, filters, pageParam, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    refetchInterval: isActive ? ROLLOUT_REFETCH_MS : false,
  });
  // Polling stops when the rollout is over, and the last poll may predate the targets' final
  // states (a "completed" rollout over rows still "rolling out"): read them once more then.
  const wasActive = useRef(isActive);
  const { refetch } = query;
  useEffect(() => {
    if (wasActive.current && !isActive) void refetch();
    wasActive.current = isActive;
  }, [isActive, refetch]);
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  return (
    <section aria-labelledby={`targets-${rollout.id}`} className="stack">
      <h3 id={`targets-${rollout.id}`}>Targets</h3>
      <div className="toolbar">
        <label className="field">
          <span className="field-label">State</span>
          <select value={state} onChange={(e) => setState(e.target.value)} data-testid="target-state-filter">
            <option value="">any ({rollout.progress.total})</option>
            {TARGET_STATES.filter((s) => (rollout.byState[s] ?? 0) > 0).map((s) => (
              <option key={s} value={s}>
                {STATE_LABEL[s]} ({rollout.byState[s]})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Wave</span>
          <select value={wave} onChange={(e) => setWave(e.target.value)}>
            <option value="">any</option>
            {rollout.waves.map((w) => (
              <option key={w.index} value={String(w.index)}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Site or cluster</span>
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
      </div>
      <p className="muted" aria-live="polite">
        {query.isPending ? "Loading…" : `${items.length} of ${total} shown`}
      </p>
      <div className="table-wrap">
        <table data-testid="rollout-targets">
          <caption className="visually-hidden">Targets of this rollout with their state and reason</caption>
          <thead>
            <tr>
              <th scope="col">Site / cluster</th>
              <th scope="col">Wave</th>
              <th scope="col">State</th>
              <th scope="col">Reason</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            {items.map((t) => (
              <tr key={t.id} data-testid={`target-${t.siteSlug}-${t.clusterName}`}>
                <th scope="row">
                  <Link href={`/sites/${encodeURIComponent(t.siteSlug)}`}>{t.siteName}</Link>
                  <span className="muted"> / {t.clusterName}</span>
                </th>
                <td>{rollout.waves[t.wave]?.name ?? t.wave}</td>
                <td>
                  <TargetStateBadge state={t.state} />
                </td>
                <td>
                  {t.reason}
                  {t.failure && t.failure !== t.reason ? <div className="muted">{t.failure}</div> : null}
                  {t.attempts > 1 ? <div className="muted">{t.attempts} attempts</div> : null}
                </td>
                <td>
                  <RelativeTime iso={t.since} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {query.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => query.fetchNextPage()}
          disabled={query.isFetchingNextPage}
        >
          {query.isFetchingNextPage ? "Loading…" : "Show more"}
        </button>
      ) : null}
    </section>
  );
}
