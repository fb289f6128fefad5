import { formatDateTime } from "@/components/ui/format";
import type { ClusterDetail, NodeDetail } from "@/lib/queries/fleet-health";
import { Ago, Duration } from "./age";
import { FreshnessBadge } from "./status-badge";

// Renderers for the parts of one cluster's health: freshness, workload
// problems, warning events, contact history, raw node conditions.

/** Fresh / stale (with the age of what is shown) / unreachable (with why). */
export function FreshnessLine({ cluster, now }: { cluster: ClusterDetail; now: number }) {
  const f = cluster.freshness;
  return (
    <div className="freshness-line" data-testid={`freshness-${cluster.name}`} data-freshness={f.state}>
      <FreshnessBadge state={f.state} />
      {f.link.state !== "steady" ? (
        <span className="badge badge--warn" data-testid={`link-${cluster.name}`} data-link={f.link.state}>
          <span aria-hidden="true">{f.link.state === "slow" ? "◔" : "↯"}</span>
          {f.link.state}
        </span>
      ) : null}
      <span>{f.message}</span>
      {f.state !== "fresh" && cluster.observedAt ? (
        <span className="muted">
          · data as of <Ago iso={cluster.observedAt} now={now} />
        </span>
      ) : null}
      {f.errorDetail ? <span className="muted mono small">({f.errorDetail})</span> : null}
      {f.collector !== "on-time" ? (
        <span className="badge badge--warn">
          <span aria-hidden="true">▲</span>collector {f.collector}
        </span>
      ) : null}
    </div>
  );
}

export function WorkloadProblems({ cluster, now }: { cluster: ClusterDetail; now: number }) {
  if (cluster.workloadProblems.length === 0) return <p className="muted">No workload problems.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="workload-problems">
        <thead>
          <tr>
            <th scope="col">Workload</th>
            <th scope="col">Problem</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {cluster.workloadProblems.map((w) => (
            <tr key={`${w.kind}/${w.namespace}/${w.name}`}>
              <th scope="row" className="mono">
                {w.kind} {w.namespace}/{w.name}
              </th>
              <td>{w.problem}</td>
              <td>
                {w.since ? (
                  <Duration iso={w.since} now={now} prefix="for " />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function WarningEvents({ cluster, now }: { cluster: ClusterDetail; now: number }) {
  if (cluster.warningEvents.length === 0) return <p className="muted">No recent warning events.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="warning-events">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Object</th>
            <th scope="col">Reason</th>
            <th scope="col">Message</th>
            <th scope="col" className="num">
              Count
            </th>
          </tr>
        </thead>
        <tbody>
          {cluster.warningEvents.map((e, i) => (
            // Events have no id in the snapshot; object + reason + position is unique enough for a list.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <tr key={`${e.involvedObject}-${e.reason}-${i}`}>
              <td>
                <Ago iso={e.lastTimestamp} now={now} never="—" />
              </td>
              <td className="mono small">
                {e.namespace}/{e.involvedObject}
              </td>
              <td>{e.reason}</td>
              <td className="small">{e.message}</td>
              <td className="num">{e.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const CONTACT_KIND: Record<string, { tone: string; icon: string; label: string }> = {
  up: { tone: "badge--ok", icon: "▲", label: "Reached" },
  down: { tone: "badge--danger", icon: "▼", label: "Lost" },
  intermittent: { tone: "badge--warn", icon: "↯", label: "Intermittent" },
  "cert-changed": { tone: "badge--info", icon: "⟳", label: "Certificate changed" },
};

/** The failure happening now (or last) first; how it began when that was something else. */
function ContactReason({ entry: c }: { entry: ClusterDetail["contactHistory"][number] }) {
  if (c.kind === "up") return null;
  const first = c.message ?? c.errorClass;
  const latest =
    c.latestErrorClass && c.latestErrorClass !== c.errorClass
      ? (c.latestMessage ?? c.latestErrorClass)
      : null;
  if (!latest) return first ? <span className="small"> · {first}</span> : null;
  return (
    <span className="small">
      {" "}
      · {latest}
      {c.latestAt ? (
        <>
          {" "}
          since <time dateTime={c.latestAt}>{formatDateTime(c.latestAt)}</time>
        </>
      ) : null}
      {first ? <span className="muted"> (began as: {first})</span> : null}
    </span>
  );
}

export function ContactHistory({ cluster, now }: { cluster: ClusterDetail; now: number }) {
  if (cluster.contactHistory.length === 0) return <p className="muted">No contact recorded yet.</p>;
  return (
    <ol className="contact-history" data-testid={`contact-history-${cluster.name}`}>
      {cluster.contactHistory.map((c) => {
        const meta = CONTACT_KIND[c.kind] ?? { tone: "badge--warn", icon: "•", label: c.kind };
        return (
          <li key={`${c.at}-${c.kind}`} data-kind={c.kind}>
            <span className={`badge ${meta.tone}`}>
              <span aria-hidden="true">{meta.icon}</span>
              {meta.label}
            </span>{" "}
            <time dateTime={c.at}>{formatDateTime(c.at)}</time>
            {c.kind === "intermittent" ? (
              c.endAt ? (
                <>
                  {" "}
                  to <time dateTime={c.endAt}>{formatDateTime(c.endAt)}</time>
                </>
              ) : (
                <span> · ongoing</span>
              )
            ) : null}{" "}
            <span className="muted">
              (<Ago iso={c.endAt ?? c.at} now={now} />)
            </span>
            {c.kind === "intermittent" && c.polls ? (
              <span className="small">
                {" "}
                · {c.failures ?? 0} of {c.polls} polls failed
              </span>
            ) : null}
            <ContactReason entry={c} />
          </li>
        );
      })}
    </ol>
  );
}

export function NodeConditions({ node, now }: { node: NodeDetail; now: number }) {
  return (
    <div className="table-wrap">
      <table data-testid={`conditions-${node.name}`}>
        <caption>
          Conditions of <span className="mono">{node.name}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Reason</th>
            <th scope="col">Message</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Last transition</th>
          </tr>
        </thead>
        <tbody>
          {node.snapshot.conditions.map((c) => (
            <tr key={c.type}>
              <th scope="row" className="mono">
                {c.type}
              </th>
              <td className="mono">{c.status}</td>
              <td className="mono small">{c.reason ?? "—"}</td>
              <td className="small">{c.message ?? "—"}</td>
              <td className="small">
                <Ago iso={c.lastHeartbeatTime} now={now} never="—" />
              </td>
              <td className="small">
                <Ago iso={c.lastTransitionTime} now={now} never="—" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PartialErrors({ cluster }: { cluster: ClusterDetail }) {
  if (cluster.partialErrors.length === 0)
    return <p className="muted">Every part of the last poll answered.</p>;
  return (
    <ul className="plain-list" data-testid="partial-errors">
      {cluster.partialErrors.map((e) => (
        <li key={e}>
          <span aria-hidden="true">▲ </span>
          {e}
        </li>
      ))}
    </ul>
  );
}
