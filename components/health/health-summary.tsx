import Link from "next/link";
import type { HealthAxis, SiteHealth } from "@/lib/health/model";
import { Ago, Duration } from "./age";
import { StatusBadge } from "./status-badge";

const AXIS_LABELS: Record<HealthAxis, string> = {
  reach: "Reach",
  condition: "Condition",
  telemetry: "Telemetry",
};

/** Renderer: a site's state, headline, since when, and every reason with its age. */
export function SiteHealthSummary({
  health,
  now,
  clusterHref,
  clusterNames,
  actions,
}: {
  health: SiteHealth;
  now: number;
  clusterHref: (clusterId: string) => string;
  clusterNames: Record<string, string>;
  /** controls for the card (Embed) */
  actions?: React.ReactNode;
}) {
  return (
    <section className="card health-summary" aria-labelledby="site-health-title" data-testid="site-health">
      <h2 id="site-health-title" className="visually-hidden">
        Health
      </h2>
      <div className="health-head">
        <StatusBadge status={health.status} size="large" />
        <div>
          <p className="headline headline--large" data-testid="site-headline">
            {health.headline}
          </p>
          <p className="muted">
            {health.since && health.status !== "healthy" ? (
              <>
                <Duration iso={health.since} now={now} prefix="Since " /> ·{" "}
              </>
            ) : null}
            Last seen <Ago iso={health.lastSeenAt} now={now} never="never" /> · {health.counts.clustersFresh}/
            {health.counts.clusters} clusters fresh · {health.counts.nodesReady}/{health.counts.nodes} nodes
            ready
          </p>
        </div>
        {actions ? <div className="health-actions">{actions}</div> : null}
      </div>
      {health.reasons.length > 0 ? (
        <ul className="reason-list" data-testid="site-reasons">
          {health.reasons.map((r) => (
            <li key={`${r.code}-${r.clusterId ?? ""}`} data-code={r.code}>
              <span className="reason-axis">{AXIS_LABELS[r.axis]}</span>
              <span className="reason-sentence">{r.sentence}</span>
              <span className="muted reason-meta">
                {r.since ? <Duration iso={r.since} now={now} prefix="for " /> : null}
                {r.clusterId ? (
                  <>
                    {r.since ? " · " : null}
                    <Link href={clusterHref(r.clusterId)}>{clusterNames[r.clusterId] ?? "cluster"}</Link>
                  </>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
