import Link from "next/link";
import { Badge, type Tone } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { formatDate } from "@/components/ui/format";
import { RelativeTime } from "@/components/ui/relative-time";
import { EMBED_KIND_LABELS, EMBED_RANGE_LABELS } from "@/lib/embed/model";
import type { EmbedGrantView, GrantState } from "@/lib/embed/types";
import { SITE_KIND_LABELS } from "@/lib/fleet/schemas";

const STATE_TONE: Record<GrantState, Tone> = {
  active: "ok",
  revoked: "danger",
  expired: "warn",
  disabled: "warn",
};

function scopeText(g: EmbedGrantView): string {
  if (g.site) return g.site.name;
  const parts = [g.filter.kind ? SITE_KIND_LABELS[g.filter.kind] : "Any site", g.filter.label ?? ""].filter(
    Boolean,
  );
  return `${parts.join(", ")}${g.kind === "fleet-strip" ? "" : " (portal picks)"}`;
}

/** Renderer: embed grants with how much they are used and what can be done with each. */
export function GrantTable({
  grants,
  busyIds,
  onRevoke,
  onReissue,
  onEvents,
}: {
  grants: EmbedGrantView[];
  busyIds: ReadonlySet<string>;
  onRevoke: (g: EmbedGrantView) => void;
  onReissue: (g: EmbedGrantView) => void;
  onEvents: (g: EmbedGrantView) => void;
}) {
  if (grants.length === 0)
    return (
      <p className="empty" data-testid="no-grants">
        No embeds yet. Use “Embed” beside a chart or status card on a site page, or on the fleet's state
        counts.
      </p>
    );
  return (
    <div className="table-wrap">
      <table data-testid="grant-table">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Scope</th>
            <th scope="col">Mode</th>
            <th scope="col">Allowed on</th>
            <th scope="col">Owner</th>
            <th scope="col">State</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Uses</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => (
            <tr key={g.id} data-testid={`grant-row-${g.id}`} data-state={g.state}>
              <th scope="row">
                {EMBED_KIND_LABELS[g.kind]}
                {g.metric ? ` · ${g.metric}` : ""}
                <div className="hint">
                  {g.kind !== "site-status" && g.kind !== "fleet-strip"
                    ? g.ranges.map((r) => EMBED_RANGE_LABELS[r]).join(", ")
                    : null}
                  {g.note ? <span> · {g.note}</span> : null}
                </div>
              </th>
              <td>{g.site ? <Link href={`/sites/${g.site.slug}`}>{scopeText(g)}</Link> : scopeText(g)}</td>
              <td>
                {g.mode}
                <div className="hint mono">{g.credentialHint}…</div>
              </td>
              <td className="mono">
                {g.origins.map((o) => (
                  <div key={o}>{o}</div>
                ))}
              </td>
              <td>{g.createdBy.username}</td>
              <td suppressHydrationWarning>
                <Badge tone={STATE_TONE[g.state]}>{g.state}</Badge>
                {g.revokedByName ? <div className="hint">by {g.revokedByName}</div> : null}
              </td>
              <td>{formatDate(g.expiresAt)}</td>
              <td>
                <RelativeTime iso={g.lastUsedAt} />
              </td>
              <td data-testid="grant-uses">{g.useCount.toLocaleString("en-US")}</td>
              <td>
                <div className="button-row">
                  <button
                    type="button"
                    className="button button--small button--ghost"
                    onClick={() => onEvents(g)}
                  >
                    Audit
                  </button>
                  {g.state === "active" ? (
                    <>
                      <ConfirmButton
                        label={g.mode === "link" ? "New link" : "New secret"}
                        title={`Replace the ${g.mode === "link" ? "link" : "signing secret"}?`}
                        confirmLabel={g.mode === "link" ? "Issue a new link" : "Issue a new secret"}
                        onConfirm={() => onReissue(g)}
                        isBusy={busyIds.has(g.id)}
                        className="button button--small"
                      >
                        <p>
                          The portal keeps showing the old one until you paste the new one there; the old one
                          stops at once.
                        </p>
                      </ConfirmButton>
                      <ConfirmButton
                        label="Revoke"
                        title="Revoke this embed?"
                        confirmLabel="Revoke embed"
                        onConfirm={() => onRevoke(g)}
                        isBusy={busyIds.has(g.id)}
                        className="button button--small button--danger"
                      >
                        <p>
                          Every portal showing it reads “This embed link was revoked” from its next refresh
                          (within seconds). This cannot be undone.
                        </p>
                      </ConfirmButton>
                    </>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
