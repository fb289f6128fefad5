"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ClusterTable, type RetestState } from "@/components/clusters/cluster-table";
import { SiteTelemetry } from "@/components/telemetry/site-telemetry";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/queries/api";
import { retestCluster } from "@/lib/queries/clusters";
import type { SiteDetail as HealthDetail } from "@/lib/queries/fleet-health";
import {
  type SiteDetail as Detail,
  deleteSite,
  fetchSiteDetail,
  SITE_DETAIL_REFETCH_MS,
  siteKeys,
} from "@/lib/queries/sites";
import type { ChartRange, PrefetchedChart } from "@/lib/queries/telemetry";
import { SiteFacts } from "./site-facts";
import { SiteHealthPanel, useSiteHealthQuery } from "./site-health-panel";
import {
  ChartActionsSlot,
  SiteAlertsSlot,
  SiteDeploymentsSlot,
  SiteHeaderActionsSlot,
  type SiteSlotProps,
  SiteThresholdsSlot,
} from "./site-slots";

/** Registered clusters listed at first; a 20-turbine farm's others are one click away (the grid shows them all). */
const CLUSTER_PAGE = 10;

/** Container: keeps a site page live; actions appear only for roles the server said may use them. */
export function SiteDetail({
  slug,
  initial,
  initialHealth,
  initialRange,
  firstChart,
  isAdmin,
  isOperator,
}: {
  slug: string;
  initial: Detail;
  /** live health, polled separately (fast) from the site's settings (slow) */
  initialHealth: HealthDetail;
  /** the charts' range, from the address */
  initialRange: ChartRange["range"];
  /** the first chart view, started by the server with the page */
  firstChart: PrefetchedChart | null;
  isAdmin: boolean;
  isOperator: boolean;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [retest, setRetest] = useState<Record<string, RetestState>>({});
  const [isAllShown, setAllShown] = useState(false);

  const detail = useQuery({
    queryKey: siteKeys.detail(slug),
    queryFn: ({ signal }) => fetchSiteDetail(slug, signal),
    initialData: initial,
    refetchInterval: SITE_DETAIL_REFETCH_MS,
  });

  const remove = useMutation({
    mutationFn: () => deleteSite(detail.data.site.id),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: siteKeys.detail(slug) });
      await queryClient.invalidateQueries({ queryKey: siteKeys.lists() });
      router.push("/sites");
      router.refresh();
    },
  });

  const test = useMutation({
    mutationFn: (id: string) => retestCluster(id),
    onMutate: (id) => setRetest((r) => ({ ...r, [id]: { isPending: true, outcome: null } })),
    onSuccess: ({ connection }, id) => {
      setRetest((r) => ({
        ...r,
        [id]: {
          isPending: false,
          outcome: connection.isOk
            ? { isOk: true, text: `reachable, ${connection.latencyMs} ms` }
            : { isOk: false, text: `${connection.errorClass}: ${connection.message}` },
        },
      }));
      void queryClient.invalidateQueries({ queryKey: siteKeys.detail(slug) });
    },
    onError: (err, id) =>
      setRetest((r) => ({
        ...r,
        [id]: { isPending: false, outcome: { isOk: false, text: errorMessage(err) } },
      })),
  });

  const { site, clusters } = detail.data;
  // Same query as the health panel (shared, not a second request): what the collector saw last.
  const health = useSiteHealthQuery(slug, initialHealth);
  const slot: SiteSlotProps = {
    site: { id: site.id, slug: site.slug, name: site.name, kind: site.kind },
    isOperator,
    isAdmin,
  };
  const observed = Object.fromEntries(
    health.data.clusters.map((c) => [c.id, { k3sVersion: c.k3sVersion, platform: c.platform }]),
  );

  return (
    <div className="page">
      <PageHeader
        crumbs={[{ href: "/sites", label: "Sites" }]}
        title={site.name}
        description={`${clusters.length === 1 ? "1 cluster" : `${clusters.length} clusters`}`}
        actions={
          <>
            <SiteHeaderActionsSlot {...slot} />
            {isAdmin ? (
              <>
                <Link className="button button--primary" href={`/sites/${site.slug}/clusters/new`}>
                  Register cluster
                </Link>
                <Link className="button" href={`/sites/${site.slug}/edit`}>
                  Edit site
                </Link>
                <ConfirmButton
                  label={remove.isPending ? "Deleting…" : "Delete site"}
                  title={`Delete ${site.name}?`}
                  confirmLabel="Delete site and its clusters"
                  onConfirm={() => remove.mutate()}
                  isBusy={remove.isPending}
                >
                  <p>
                    This removes the site and forgets its{" "}
                    {clusters.length === 1 ? "cluster" : `${clusters.length} clusters`} and their stored
                    kubeconfigs. The clusters themselves keep running.
                  </p>
                </ConfirmButton>
              </>
            ) : null}
          </>
        }
      />
      {remove.isError ? (
        <Notice tone="danger" title="Could not delete the site" role="alert">
          <p>{errorMessage(remove.error)}</p>
        </Notice>
      ) : null}
      {detail.isError ? (
        <Notice tone="warn" title="Showing the last known data" role="status">
          <p>Refreshing failed: {errorMessage(detail.error)}</p>
        </Notice>
      ) : null}
      <SiteHealthPanel
        slug={slug}
        initial={initialHealth}
        afterSummary={<SiteAlertsSlot {...slot} />}
        hasTurbines={site.kind === "wind-farm"}
        gridActions={
          <ChartActionsSlot site={slot.site} chart="health-grid" range="1h" isOperator={isOperator} />
        }
        summaryActions={
          <ChartActionsSlot site={slot.site} chart="site-status" range="1h" isOperator={isOperator} />
        }
      />
      <SiteTelemetry
        site={{ id: site.id, slug: site.slug, name: site.name }}
        hasTurbines={site.kind === "wind-farm"}
        isOperator={isOperator}
        initialRange={initialRange}
        firstChart={firstChart}
      />
      <SiteThresholdsSlot {...slot} />
      <SiteDeploymentsSlot {...slot} />
      <section className="card" aria-labelledby="site-facts-title">
        <h2 id="site-facts-title">Site</h2>
        <SiteFacts site={site} />
      </section>
      <section aria-labelledby="site-clusters-title" className="stack">
        <h2 id="site-clusters-title">Registered clusters</h2>
        {clusters.length === 0 ? (
          <div className="empty" data-testid="no-clusters">
            <p>No cluster registered for this site yet.</p>
            {isAdmin ? (
              <p>
                <Link href={`/sites/${site.slug}/clusters/new`}>Register its cluster</Link> by pasting or
                uploading its kubeconfig.
              </p>
            ) : null}
          </div>
        ) : (
          <>
            <ClusterTable
              clusters={isAllShown ? clusters : clusters.slice(0, CLUSTER_PAGE)}
              observed={observed}
              retest={retest}
              onRetest={isOperator ? (id) => test.mutate(id) : undefined}
            />
            {clusters.length > CLUSTER_PAGE ? (
              <div className="form-actions">
                <button type="button" className="button" onClick={() => setAllShown(!isAllShown)}>
                  {isAllShown ? `Show the first ${CLUSTER_PAGE}` : `Show all ${clusters.length} clusters`}
                </button>
              </div>
            ) : null}
          </>
        )}
      </section>
    </div>
  );
}
