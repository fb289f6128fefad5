import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { formatDate } from "@/components/ui/format";
import type { ClusterDetail } from "@/lib/queries/fleet-health";
import { Ago } from "./age";
import { ContactHistory, FreshnessLine, WarningEvents, WorkloadProblems } from "./cluster-sections";
import { NodeTable } from "./node-table";

export function CertFact({ cluster }: { cluster: ClusterDetail }) {
  const { cert, certNotAfter } = cluster;
  if (cert.state === "none") return <span className="muted">no client certificate (token)</span>;
  const date = certNotAfter ? <span className="muted"> ({formatDate(certNotAfter)})</span> : null;
  if (cert.state === "ok") return <span>valid{date}</span>;
  return (
    <span>
      <Badge tone={cert.state === "warning" ? "warn" : "danger"}>{cert.sentence ?? cert.state}</Badge>
      {date}
    </span>
  );
}

/** Version, platform, API server, certificate and observation time of one cluster. */
export function ClusterFacts({ cluster, now }: { cluster: ClusterDetail; now: number }) {
  return (
    <dl className="facts facts--inline">
      <dt>k3s version</dt>
      <dd className="mono">{cluster.k3sVersion ?? <span className="muted">unknown</span>}</dd>
      <dt>Platform</dt>
      <dd className="mono">{cluster.platform ?? <span className="muted">unknown</span>}</dd>
      <dt>API server</dt>
      <dd className="mono">{cluster.server}</dd>
      <dt>Client certificate</dt>
      <dd>
        <CertFact cluster={cluster} />
      </dd>
      <dt>Observed</dt>
      <dd>
        <Ago iso={cluster.observedAt} now={now} never="never" />
      </dd>
    </dl>
  );
}

/**
 * Renderer: one cluster on its site's page. What it shows is greyed with its
 * age when the cluster is not fresh; problem clusters open, healthy ones fold.
 */
export function ClusterHealthCard({
  cluster,
  now,
  href,
  isOpen,
}: {
  cluster: ClusterDetail;
  now: number;
  href: string;
  isOpen: boolean;
}) {
  const isOutdated = cluster.freshness.state !== "fresh";
  const ready = cluster.nodes.filter((n) => n.readiness === "Ready").length;
  // The link lives outside <summary>: a link inside the disclosure button is a nested control.
  return (
    <article
      className={`card cluster-card${isOutdated ? " is-outdated" : ""}`}
      data-testid={`cluster-health-${cluster.name}`}
      aria-labelledby={`cluster-card-${cluster.id}`}
    >
      <div className="cluster-card-head">
        <h3 id={`cluster-card-${cluster.id}`}>
          <Link href={href}>{cluster.name}</Link>
        </h3>
        <FreshnessLine cluster={cluster} now={now} />
        <span className="muted small">
          {ready}/{cluster.nodes.length} nodes ready
          {cluster.workloadProblems.length > 0
            ? ` · ${cluster.workloadProblems.length} workload problems`
            : ""}
        </span>
      </div>
      <details open={isOpen}>
        <summary>Details: nodes, workloads, events, contact history</summary>
        <ClusterFacts cluster={cluster} now={now} />
        <h4>Nodes</h4>
        <NodeTable nodes={cluster.nodes} now={now} />
        <h4>Workload problems</h4>
        <WorkloadProblems cluster={cluster} now={now} />
        <h4>Recent warning events</h4>
        <WarningEvents cluster={cluster} now={now} />
        <h4>Contact history</h4>
        <ContactHistory cluster={cluster} now={now} />
      </details>
    </article>
  );
}
