"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { Badge } from "@/components/ui/badge";
import { Notice } from "@/components/ui/notice";
import { RelativeTime } from "@/components/ui/relative-time";
import { errorMessage } from "@/lib/queries/api";
import {
  DEPLOYMENT_LIST_REFETCH_MS,
  type DeploymentListItem,
  deploymentKeys,
  fetchDeployments,
} from "@/lib/queries/deployments";
import { ProgressBar } from "./progress-bar";
import { RolloutStateBadge } from "./state-badges";

/** Container: the deployments, live, with a search box; the server rendered the first page. */
export function DeploymentList({
  initial,
}: {
  initial: { items: DeploymentListItem[]; nextCursor: string | null };
}) {
  const [q, setQ] = useState("");
  const debounced = useDebouncedValue(q, 250).trim();
  const query = useInfiniteQuery({
    queryKey: deploymentKeys.list(debounced),
    queryFn: ({ pageParam, signal }) => fetchDeployments(debounced, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: debounced === "" ? { pages: [initial], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: DEPLOYMENT_LIST_REFETCH_MS,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="deployment-list-title" className="stack">
      <h2 id="deployment-list-title" className="visually-hidden">
        Deployment list
      </h2>
      <div className="toolbar">
        <label className="field">
          <span className="field-label">Search</span>
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="name or description"
          />
        </label>
      </div>
      {query.isError ? (
        <Notice tone="warn" title="Showing the last known list" role="status">
          <p>{errorMessage(query.error)}</p>
        </Notice>
      ) : null}
      {items.length === 0 ? (
        <div className="empty" data-testid="no-deployments">
          <p>{debounced ? "No deployment matches." : "Nothing deployed through Outpost yet."}</p>
        </div>
      ) : (
        <DeploymentsTable items={items} />
      )}
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

/** Renderer: one row per deployment with its latest rollout. */
export function DeploymentsTable({ items }: { items: DeploymentListItem[] }) {
  return (
    <div className="table-wrap">
      <table data-testid="deployments-table">
        <caption className="visually-hidden">Deployments and their latest rollout</caption>
        <thead>
          <tr>
            <th scope="col">Deployment</th>
            <th scope="col">State</th>
            <th scope="col">Revision</th>
            <th scope="col">Progress</th>
            <th scope="col">Started by</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id} data-testid={`deployment-${d.name}`}>
              <th scope="row">
                <Link className="row-link" href={`/deployments/${encodeURIComponent(d.name)}`}>
                  {d.name}
                </Link>{" "}
                {d.kind === "restart" ? <Badge tone="info">restart</Badge> : null}
                {d.description ? <div className="muted">{d.description}</div> : null}
              </th>
              <td>
                {d.rollout ? (
                  <>
                    <RolloutStateBadge state={d.rollout.state} />
                    <div className="muted">{d.rollout.stateReason}</div>
                  </>
                ) : (
                  <span className="muted">not rolled out</span>
                )}
              </td>
              <td>{d.rollout?.revision ?? d.latestRevision ?? "—"}</td>
              <td>{d.rollout ? <ProgressBar progress={d.rollout.progress} label={d.name} /> : null}</td>
              <td>{d.rollout?.createdByName ?? d.createdByName}</td>
              <td>
                <RelativeTime iso={d.rollout?.createdAt ?? d.updatedAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
