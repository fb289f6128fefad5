"use client";

import { useQuery } from "@tanstack/react-query";
import { ClusterHealthCard } from "@/components/health/cluster-health-card";
import { SiteHealthSummary } from "@/components/health/health-summary";
import { RefreshStatus } from "@/components/health/refresh-status";
import { serverNow, useNow } from "@/components/hooks/use-now";
import { errorMessage } from "@/lib/queries/api";
import {
  fetchSiteHealth,
  fleetHealthKeys,
  HEALTH_DATA_OLD_MS,
  SITE_HEALTH_POLL_MS,
  type SiteDetail,
} from "@/lib/queries/fleet-health";

/** Clusters are listed open when there are few of them or when they need attention. */
const OPEN_ALL_UP_TO = 3;

/** The one polled request behind a site page and its cluster pages (observers share it). */
export function useSiteHealthQuery(slug: string, initial: SiteDetail) {
  return useQuery({
    queryKey: fleetHealthKeys.site(slug),
    queryFn: ({ signal }) => fetchSiteHealth(slug, signal),
    initialData: initial,
    refetchInterval: SITE_HEALTH_POLL_MS,
  });
}

/** The site's health with a ticking server-clock "now" and how old the data on screen is. */
export function useSiteHealth(slug: string, initial: SiteDetail) {
  const query = useSiteHealthQuery(slug, initial);
  const now = useNow();
  const data = query.data;
  const ageMs = now === null ? null : Math.max(0, now - query.dataUpdatedAt);
  return {
    data,
    clock: serverNow(data.generatedAt, query.dataUpdatedAt, now),
    ageMs,
    isOutdated: ageMs !== null && ageMs > HEALTH_DATA_OLD_MS,
    errorText: query.isError ? errorMessage(query.error) : null,
  };
}

export function clusterPath(slug: string, clusterId: string): string {
  return `/sites/${slug}/clusters/${clusterId}`;
}

/** Container: live health of one site (one polled request for the whole site). */
export function SiteHealthPanel({
  slug,
  initial,
  afterSummary,
}: {
  slug: string;
  initial: SiteDetail;
  /** a slot right under the summary (active alerts) */
  afterSummary?: React.ReactNode;
}) {
  const { data, clock, ageMs, isOutdated, errorText } = useSiteHealth(slug, initial);
  const names = Object.fromEntries(data.clusters.map((c) => [c.id, c.name]));
  return (
    <>
      <RefreshStatus
        ageMs={ageMs}
        oldAfterMs={HEALTH_DATA_OLD_MS}
        errorText={errorText}
        testId="refresh-status"
      />
      <div className={isOutdated ? "is-outdated" : undefined}>
        <SiteHealthSummary
          health={data.health}
          now={clock}
          clusterHref={(id) => clusterPath(slug, id)}
          clusterNames={names}
        />
        {afterSummary}
        {data.clusters.length > 0 ? (
          <section aria-labelledby="cluster-health-title" className="stack">
            <h2 id="cluster-health-title">Cluster health</h2>
            {data.clusters.map((c) => (
              <ClusterHealthCard
                key={c.id}
                cluster={c}
                now={clock}
                href={clusterPath(slug, c.id)}
                isOpen={
                  data.clusters.length <= OPEN_ALL_UP_TO ||
                  c.freshness.state !== "fresh" ||
                  c.nodes.some((n) => n.readiness !== "Ready") ||
                  c.workloadProblems.length > 0
                }
              />
            ))}
          </section>
        ) : null}
      </div>
    </>
  );
}
