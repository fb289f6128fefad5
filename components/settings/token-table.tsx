import { Badge } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { formatDate } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TokenView } from "@/lib/queries/tokens";

function TokenState({ token }: { token: TokenView }) {
  if (token.revokedAt) return <Badge tone="danger">revoked</Badge>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= Date.now())
    return <Badge tone="warn">expired</Badge>;
  return <Badge tone="ok">active</Badge>;
}

/** Renderer: API tokens by prefix (the token itself is never stored). */
export function TokenTable({
  tokens,
  busyIds,
  onRevoke,
}: {
  tokens: TokenView[];
  busyIds: ReadonlySet<string>;
  onRevoke: (token: TokenView) => void;
}) {
  if (tokens.length === 0) return <p className="empty">No API tokens yet.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="token-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Prefix</th>
            <th scope="col">Role</th>
            <th scope="col">Owner</th>
            <th scope="col">State</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid={`token-row-${t.name}`}>
              <th scope="row">{t.name}</th>
              <td className="mono">{t.prefix}…</td>
              <td>{t.role}</td>
              <td>{t.username}</td>
              <td suppressHydrationWarning>
                <TokenState token={t} />
              </td>
              <td>{t.expiresAt ? formatDate(t.expiresAt) : "never"}</td>
              <td>
                <RelativeTime iso={t.lastUsedAt} />
              </td>
              <td>
                {t.revokedAt ? null : (
                  <ConfirmButton
                    label="Revoke"
                    title={`Revoke ${t.name}?`}
                    confirmLabel="Revoke token"
                    onConfirm={() => onRevoke(t)}
                    isBusy={busyIds.has(t.id)}
                    className="button button--small button--danger"
                  >
                    <p>
                      Automation using this token gets 401 from the next request on. This cannot be undone.
                    </p>
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
