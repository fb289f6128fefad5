import { Badge } from "@/components/ui/badge";
import { CertExpiry } from "@/components/ui/cert-expiry";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ClusterView } from "@/lib/queries/clusters";

export interface RetestState {
  isPending: boolean;
  outcome: { isOk: true; text: string } | { isOk: false; text: string } | null;
}

const AUTH_KIND_LABELS: Record<string, string> = {
  "client-cert": "Client certificate",
  token: "Bearer token",
};

/**
 * Renderer: a site's registered clusters and their connection settings.
 * `observed` (from the collector) fills in versions the registration did not test.
 * `onRetest` appears for operators and above.
 */
export function ClusterTable({
  clusters,
  observed = {},
  retest,
  onRetest,
}: {
  clusters: ClusterView[];
  observed?: Record<string, { k3sVersion: string | null; platform: string | null }>;
  retest: Record<string, RetestState>;
  onRetest?: (id: string) => void;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="cluster-table">
        <thead>
          <tr>
            <th scope="col">Cluster</th>
            <th scope="col">API server</th>
            <th scope="col">Auth</th>
            <th scope="col">k3s version</th>
            <th scope="col">Platform</th>
            <th scope="col">Client certificate</th>
            <th scope="col">Last tested</th>
            {onRetest ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => {
            const state = retest[c.id];
            return (
              <tr key={c.id} data-testid={`cluster-row-${c.name}`}>
                <th scope="row">
                  <span className="row-link">{c.name}</span>
                  <div className="muted mono">context {c.contextName}</div>
                </th>
                <td className="mono">{c.server}</td>
                <td>{AUTH_KIND_LABELS[c.authKind] ?? c.authKind}</td>
                <td className="mono">
                  {observed[c.id]?.k3sVersion ?? c.k3sVersion ?? <span className="muted">unknown</span>}
                </td>
                <td className="mono">
                  {observed[c.id]?.platform ?? c.platform ?? <span className="muted">unknown</span>}
                </td>
                <td>
                  {c.authKind === "client-cert" ? (
                    <CertExpiry iso={c.certNotAfter} />
                  ) : (
                    <span className="muted">token</span>
                  )}
                </td>
                <td>
                  <RelativeTime iso={c.lastTestedAt} never="never tested" />
                  {state?.outcome ? (
                    <div aria-live="polite">
                      <Badge tone={state.outcome.isOk ? "ok" : "danger"}>{state.outcome.text}</Badge>
                    </div>
                  ) : null}
                </td>
                {onRetest ? (
                  <td>
                    <button
                      type="button"
                      className="button button--small"
                      onClick={() => onRetest(c.id)}
                      disabled={state?.isPending}
                      aria-label={`Test connection to ${c.name}`}
                    >
                      {state?.isPending ? "Testing…" : "Test"}
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
