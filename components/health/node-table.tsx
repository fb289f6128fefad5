import { formatDuration } from "@/lib/health/format";
import type { NodeDetail } from "@/lib/queries/fleet-health";
import { Duration } from "./age";
import { READINESS_META } from "./status-meta";
import { formatBytes, formatCores } from "./units";
import { UsageBar } from "./usage-bar";

function Readiness({ node, now }: { node: NodeDetail; now: number }) {
  const meta = READINESS_META[node.readiness];
  return (
    <>
      <span className={`badge badge--${meta.tone}`} data-readiness={node.readiness}>
        <span aria-hidden="true">{meta.icon}</span>
        {node.readiness}
      </span>
      {node.reason && node.readiness !== "Ready" ? <div className="mono small">{node.reason}</div> : null}
      {node.since ? (
        <div className="muted small">
          <Duration iso={node.since} now={now} prefix="for " />
        </div>
      ) : null}
    </>
  );
}

/** Renderer: a cluster's nodes as last observed. */
export function NodeTable({ nodes, now, caption }: { nodes: NodeDetail[]; now: number; caption?: string }) {
  if (nodes.length === 0) return <p className="muted">No nodes reported.</p>;
  return (
    <div className="table-wrap">
      <table className="node-table" data-testid="node-table">
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Ready</th>
            <th scope="col">Platform</th>
            <th scope="col">CPU</th>
            <th scope="col">Memory</th>
            <th scope="col">Conditions</th>
            <th scope="col">Lease age at poll</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => {
            const s = n.snapshot;
            const pressures = n.pressures;
            return (
              <tr key={n.name} data-testid={`node-row-${n.name}`} data-readiness={n.readiness}>
                <th scope="row">
                  <span className="mono row-link">{n.name}</span>
                  <div className="muted small">{s.roles.length > 0 ? s.roles.join(", ") : "agent"}</div>
                  {n.isCordoned ? (
                    <span className="badge badge--warn">
                      <span aria-hidden="true">⏸</span>cordoned
                    </span>
                  ) : null}
                </th>
                <td>
                  <Readiness node={n} now={now} />
                </td>
                <td className="small">
                  <div className="mono">
                    {s.arch ?? "?"} · {s.kubeletVersion ?? "?"}
                  </div>
                  <div className="muted">{s.osImage ?? "unknown OS"}</div>
                </td>
                <td>
                  <UsageBar used={s.cpuUsage} capacity={s.cpuCapacity} format={formatCores} label="CPU" />
                </td>
                <td>
                  <UsageBar
                    used={s.memoryUsage}
                    capacity={s.memoryCapacity}
                    format={formatBytes}
                    label="Memory"
                  />
                </td>
                <td className="small">
                  {pressures.length > 0 ? (
                    pressures.map((p) => (
                      <span key={p} className="badge badge--warn">
                        <span aria-hidden="true">▲</span>
                        {p}
                      </span>
                    ))
                  ) : (
                    <span className="muted">no pressure</span>
                  )}
                </td>
                <td className="small">
                  {n.leaseAgeMs === null ? (
                    <span className="muted">not read</span>
                  ) : n.isHeartbeatLost ? (
                    <span className="badge badge--danger">
                      <span aria-hidden="true">✖</span>
                      {formatDuration(n.leaseAgeMs)} old
                    </span>
                  ) : (
                    <span>{formatDuration(n.leaseAgeMs)} old</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
