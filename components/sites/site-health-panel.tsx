"use client";

import { useQuery } from "@tanstack/react-query";
import { ClusterHealthCard } from "@/components/health/cluster-health-card";
import { SiteHealthSummary } from "@/components/health/health-summary";
import { RefreshStatus } from "@/components/health/refresh-status";
import { serverNow, useNow } from "@/components/hooks/use-now";
import { GRID_MIN_CLUSTERS } from "@/lib/grid/tiles";
import { errorMessage, shouldRetry } from "@/lib/queries/api";
import {
  fetchSiteHealth,
  fleetHealthKeys,
  HEALTH_DATA_OLD_MS,
  SITE_HEALTH_POLL_MS,
  type SiteDetail,
} from "@/lib/queries/fleet-health";
import { fetchLatestMetric, LATEST_METRIC_POLL_MS, telemetryKeys } from "@/lib/queries/telemetry";
import { SiteHealthGrid, type TileMetric } from "./site-health-grid";

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

function needsAttention(c: SiteDetail["clusters"][number]): boolean {
  return (
    c.freshness.state !== "fresh" ||
    c.nodes.some((n) => n.readiness !== "Ready") ||
    c.workloadProblems.length > 0
  );
}

const POWER_FORMAT = new Intl.NumberFormat("en", { maximumFractionDigits: 0 });

/** Container: the grid, plus each turbine's latest key metric (one small site-scoped query). */
function SiteGrid({
  slug,
  tiles,
  now,
  hasTurbines,
  actions,
  title,
}: {
  slug: string;
  tiles: SiteDetail["tiles"];
  now: number;
  hasTurbines: boolean;
  actions?: React.ReactNode;
  title: string;
}) {
  const latest = useQuery({
    queryKey: telemetryKeys.siteLatest(slug),
    queryFn: ({ signal }) => fetchLatestMetric(slug, signal),
    enabled: hasTurbines,
    refetchInterval: LATEST_METRIC_POLL_MS,
    retry: shouldRetry,
  });
  const metrics: Record<string, TileMetric> = {};
  const field = latest.data?.field;
  if (field) {
    for (const h of latest.data?.hosts ?? []) {
      if (!h.clusterId) continue;
      // One value per turbine: a turbine cluster has one node; elsewhere the sum would mislead.
      if (metrics[h.clusterId]) continue;
      metrics[h.clusterId] = {
        label: field.label,
        text: `${POWER_FORMAT.format(h.value)}${field.unit ? ` ${field.unit}` : ""}`,
        at: new Date(h.at).toISOString(),
      };
    }
  }
  return (
    <SiteHealthGrid
      tiles={tiles}
      now={now}
      clusterHref={(id) => clusterPath(slug, id)}
      metrics={metrics}
      title={title}
      actions={actions}
    />
  );
}

export function clusterPath(slug: string, clusterId: string): string {
  return `/sites/${slug}/clusters/${clusterId}`;
}

/** Container: live health of one site (one polled request for the whole site). */
export function SiteHealthPanel({
  slug,
  initial,
  afterSummary,
  hasTurbines = false,
  gridActions,
  summaryActions,
}: {
  slug: string;
  initial: SiteDetail;
  /** a slot right under the summary (active alerts) */
  afterSummary?: React.ReactNode;
  /** wind farms: tiles show each turbine's power */
  hasTurbines?: boolean;
  /** controls in the health grid's header (Embed) */
  gridActions?: React.ReactNode;
  /** controls in the health summary card (Embed) */
  summaryActions?: React.ReactNode;
}) {
  const { data, clock, ageMs, isOutdated, errorText } = useSiteHealth(slug, initial);
  const names = Object.fromEntries(data.clusters.map((c) => [c.id, c.name]));
  const isGrid = data.clusters.length >= GRID_MIN_CLUSTERS;
  // With a grid, cards only for the clusters that need a look; the tiles lead to the others.
  const cards = isGrid ? data.clusters.filter(needsAttention) : data.clusters;
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
          actions={summaryActions}
        />
        {afterSummary}
        {isGrid ? (
          <SiteGrid
            slug={slug}
            tiles={data.tiles}
            now={clock}
            hasTurbines={hasTurbines}
            actions={gridActions}
            title={hasTurbines ? "Turbines at a glance" : "Clusters at a glance"}
          />
        ) : null}
        {cards.length > 0 ? (
          <section aria-labelledby="cluster-health-title" className="stack">
            <h2 id="cluster-health-title">
              {isGrid ? `Clusters needing attention (${cards.length})` : "Cluster health"}
            </h2>
            {cards.map((c) => (
              <ClusterHealthCard
                key={c.id}
                cluster={c}
                now={clock}
                href={clusterPath(slug, c.id)}
                isOpen={data.clusters.length <= OPEN_ALL_UP_TO || needsAttention(c)}
              />
            ))}
          </section>
        ) : null}
      </div>
    </>
  );
}
