"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { SiteSlotProps } from "@/components/sites/slot-props";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { errorMessage } from "@/lib/queries/api";
import { deploymentKeys, fetchSiteDeployments, SITE_DEPLOYMENTS_REFETCH_MS } from "@/lib/queries/deployments";
import { TargetStateBadge } from "./state-badges";

/** Container: what is deployed on this site's clusters, and what rollouts are doing here now. */
export function SiteDeploymentsPanel({ site }: SiteSlotProps) {
  const query = useQuery({
    queryKey: deploymentKeys.site(site.slug),
    queryFn: ({ signal }) => fetchSiteDeployments(site.slug, signal),
    refetchInterval: SITE_DEPLOYMENTS_REFETCH_MS,
  });
  const installed = query.data?.installed ?? [];
  const active = query.data?.active ?? [];
  return (
    <section aria-labelledby="site-deployments-title" className="card stack" data-testid="site-deployments">
      <h2 id="site-deployments-title">Deployed here</h2>
      {query.isError ? <p className="field-error">{errorMessage(query.error)}</p> : null}
      {query.isPending ? <p className="muted">Loading…</p> : null}
      {active.length > 0 ? (
        <>
          <h3>Rolling out now</h3>
          <ul className="plain-list">
            {active.map((t) => (
              <li key={`${t.rolloutId}:${t.clusterName}`}>
                <Link href={`/deployments/${encodeURIComponent(t.deploymentName)}/rollouts/${t.rolloutId}`}>
                  {t.deploymentName}
                </Link>{" "}
                on {t.clusterName}: <TargetStateBadge state={t.state} /> {t.reason}{" "}
                <span className="muted">
                  (since <RelativeTime iso={t.since} />)
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {query.data && installed.length === 0 ? (
        <p className="muted">Nothing deployed here through Outpost.</p>
      ) : null}
      {installed.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Deployments installed on this site's clusters</caption>
            <thead>
              <tr>
                <th scope="col">Deployment</th>
                <th scope="col">Cluster</th>
                <th scope="col">Revision</th>
                <th scope="col">State</th>
                <th scope="col">Applied</th>
              </tr>
            </thead>
            <tbody>
              {installed.map((i) => (
                <tr key={`${i.deploymentId}:${i.clusterId}`}>
                  <th scope="row">
                    <Link href={`/deployments/${encodeURIComponent(i.deploymentName)}`}>
                      {i.deploymentName}
                    </Link>
                  </th>
                  <td>{i.clusterName}</td>
                  <td>{i.revision ? `r${i.revision}` : "—"}</td>
                  <td>
                    {i.driftFields > 0 ? (
                      <Badge tone="warn">
                        drifted ({i.driftFields} field{i.driftFields === 1 ? "" : "s"})
                      </Badge>
                    ) : (
                      <Badge tone={i.state === "failed" ? "danger" : "ok"}>{i.state}</Badge>
                    )}
                    {i.reason ? <div className="muted">{i.reason}</div> : null}
                  </td>
                  <td>
                    <RelativeTime iso={i.appliedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
