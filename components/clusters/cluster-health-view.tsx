"use client";

import { ClusterFacts } from "@/components/health/cluster-health-card";
import {
  ContactHistory,
  FreshnessLine,
  NodeConditions,
  PartialErrors,
  WarningEvents,
  WorkloadProblems,
} from "@/components/health/cluster-sections";
import { NodeTable } from "@/components/health/node-table";
import { RefreshStatus } from "@/components/health/refresh-status";
import { StatusBadge } from "@/components/health/status-badge";
import { useSiteHealth } from "@/components/sites/site-health-panel";
import { NotFoundPage } from "@/components/ui/not-found-page";
import { PageHeader } from "@/components/ui/page-header";
import { HEALTH_DATA_OLD_MS, type SiteDetail } from "@/lib/queries/fleet-health";

/** Container: one cluster, live, from its site's health document. */
export function ClusterHealthView({
  slug,
  clusterId,
  initial,
}: {
  slug: string;
  clusterId: string;
  initial: SiteDetail;
}) {
  const { data, clock, ageMs, isOutdated, errorText } = useSiteHealth(slug, initial);
  const cluster = data.clusters.find((c) => c.id === clusterId);
  if (!cluster) {
    return (
      <NotFoundPage title="Cluster removed" backHref={`/sites/${slug}`} backLabel={data.health.name}>
        <p>This cluster is no longer registered at {data.health.name}.</p>
      </NotFoundPage>
    );
  }
  const isClusterOutdated = isOutdated || cluster.freshness.state !== "fresh";
  return (
    <div className="page">
      <PageHeader
        crumbs={[
          { href: "/", label: "Fleet" },
          { href: `/sites/${slug}`, label: data.health.name },
        ]}
        title={cluster.name}
        description={
          <>
            Cluster at {data.health.name} · site is <StatusBadge status={data.health.status} />
          </>
        }
      />
      <RefreshStatus
        ageMs={ageMs}
        oldAfterMs={HEALTH_DATA_OLD_MS}
        errorText={errorText}
        testId="refresh-status"
      />
      <div
        className={`cluster-detail${isClusterOutdated ? " is-outdated" : ""}`}
        data-testid="cluster-health"
      >
        <section className="card" aria-labelledby="cluster-reach-title">
          <h2 id="cluster-reach-title">Reach</h2>
          <FreshnessLine cluster={cluster} now={clock} />
          <ClusterFacts cluster={cluster} now={clock} />
        </section>
        <section className="stack" aria-labelledby="cluster-nodes-title">
          <h2 id="cluster-nodes-title">Nodes</h2>
          <NodeTable nodes={cluster.nodes} now={clock} />
          {cluster.nodes.map((n) => (
            <NodeConditions key={n.name} node={n} now={clock} />
          ))}
        </section>
        <section className="stack" aria-labelledby="cluster-workloads-title">
          <h2 id="cluster-workloads-title">Workload problems</h2>
          <WorkloadProblems cluster={cluster} now={clock} />
        </section>
        <section className="stack" aria-labelledby="cluster-events-title">
          <h2 id="cluster-events-title">Recent warning events</h2>
          <WarningEvents cluster={cluster} now={clock} />
        </section>
        <section className="stack" aria-labelledby="cluster-partial-title">
          <h2 id="cluster-partial-title">Partial errors of the last poll</h2>
          <PartialErrors cluster={cluster} />
        </section>
        <section className="stack" aria-labelledby="cluster-contact-title">
          <h2 id="cluster-contact-title">Contact history</h2>
          <ContactHistory cluster={cluster} now={clock} />
        </section>
      </div>
    </div>
  );
}
