"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import {
  DEPLOYMENT_LIST_REFETCH_MS,
  type DeploymentDetail,
  deploymentKeys,
  fetchDeployment,
  type ResolvedFleetSelection,
  type RolloutDetail,
} from "@/lib/queries/deployments";
import { NewRevisionForm } from "./new-revision-form";
import { ProgressBar } from "./progress-bar";
import { RevisionCompare } from "./revision-compare";
import { RolloutForm } from "./rollout-form";
import { RolloutPanel } from "./rollout-panel";
import { RolloutStateBadge } from "./state-badges";

/** Container: one deployment — its latest rollout live, a new rollout, revisions and history. */
export function DeploymentDetailView({
  initial,
  initialRollout,
  isOperator,
  isAdmin,
  initialTargets,
  fleetSelection,
}: {
  initial: DeploymentDetail;
  initialRollout: RolloutDetail | null;
  isOperator: boolean;
  isAdmin: boolean;
  initialTargets?: string;
  fleetSelection?: ResolvedFleetSelection;
}) {
  const query = useQuery({
    queryKey: deploymentKeys.detail(initial.deployment.name),
    queryFn: ({ signal }) => fetchDeployment(initial.deployment.name, signal),
    initialData: initial,
    refetchInterval: DEPLOYMENT_LIST_REFETCH_MS,
  });
  const d = query.data;
  const base = `/deployments/${encodeURIComponent(d.deployment.name)}`;
  const needsAdmin = d.revisions[0]?.requiredRole === "admin";
  const isActive =
    initialRollout && (initialRollout.state === "running" || initialRollout.state === "paused");
  const canRollOut = isOperator && d.deployment.kind === "manifest" && (!needsAdmin || isAdmin);
  return (
    <div className="page page--wide">
      <PageHeader
        crumbs={[{ href: "/deployments", label: "Deployments" }]}
        title={d.deployment.name}
        description={d.deployment.description || undefined}
      />
      <p className="muted">
        Created by {d.deployment.createdByName} <RelativeTime iso={d.deployment.createdAt} /> · installed on{" "}
        {d.installations.total} cluster{d.installations.total === 1 ? "" : "s"}
        {Object.keys(d.installations.byState).length > 0
          ? ` (${Object.entries(d.installations.byState)
              .map(([s, n]) => `${n} ${s}`)
              .join(", ")})`
          : ""}
      </p>
      {initialRollout ? <RolloutPanel initial={initialRollout} isOperator={isOperator} /> : null}
      {canRollOut && !isActive ? (
        <RolloutForm
          deploymentId={d.deployment.id}
          deploymentName={d.deployment.name}
          revisions={d.revisions}
          initialTargets={initialTargets}
          fleetSelection={fleetSelection}
        />
      ) : null}
      {isOperator && needsAdmin && !isAdmin ? (
        <p className="muted">
          This deployment has cluster-scoped or RBAC objects: only an admin can roll it out.
        </p>
      ) : null}
      <section aria-labelledby="history-title" className="card stack">
        <h2 id="history-title">Rollouts</h2>
        {d.rollouts.length === 0 ? (
          <p className="muted">Not rolled out yet.</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="rollout-history">
              <caption className="visually-hidden">Rollouts of this deployment, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Rollout</th>
                  <th scope="col">State</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Started</th>
                </tr>
              </thead>
              <tbody>
                {d.rollouts.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link className="row-link" href={`${base}/rollouts/${r.id}`}>
                        {r.kind} {r.revision ? `r${r.revision}` : ""}
                      </Link>{" "}
                      <span className="muted">{r.selectorText}</span>
                    </th>
                    <td>
                      <RolloutStateBadge state={r.state} />
                    </td>
                    <td>
                      <ProgressBar progress={r.progress} label={`${r.kind} ${r.revision ?? ""}`} />
                    </td>
                    <td>
                      {r.createdByName}, <RelativeTime iso={r.createdAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {d.deployment.kind === "manifest" ? (
        <section aria-labelledby="revisions-title" className="card stack">
          <h2 id="revisions-title">Revisions</h2>
          <ul className="plain-list" data-testid="revisions">
            {d.revisions.map((r) => (
              <li key={r.id}>
                <strong>r{r.number}</strong> {r.message || <span className="muted">no message</span>} —{" "}
                {r.authorName}, <RelativeTime iso={r.createdAt} />{" "}
                <span className="muted">
                  {r.objects.length} object{r.objects.length === 1 ? "" : "s"} · {r.contentHash.slice(0, 12)}
                </span>{" "}
                {r.requiredRole === "admin" ? <Badge tone="warn">needs admin</Badge> : null}
              </li>
            ))}
          </ul>
          {isOperator ? (
            <details>
              <summary>New revision</summary>
              <NewRevisionForm deploymentId={d.deployment.id} />
            </details>
          ) : null}
        </section>
      ) : null}
      {d.deployment.kind === "manifest" ? (
        <RevisionCompare deploymentId={d.deployment.id} revisions={d.revisions} />
      ) : null}
    </div>
  );
}
