import Link from "next/link";
import { Ago, Duration } from "@/components/health/age";
import { Badge, type Tone } from "@/components/ui/badge";
import { formatDuration } from "@/lib/health/format";
import type { AlertRow } from "@/lib/queries/alerts";

// Renderer: open alerts, one row each — severity, state, what and where, the
// value against its effective threshold (with where that came from), since when.

const MUTE_TEXT: Record<string, string> = {
  maintenance: "muted: site in maintenance",
  "expected-offline": "muted: expected offline",
  silenced: "muted: silenced",
  "site-unreachable": "suppressed: site unreachable",
};

function stateBadge(a: AlertRow): { tone: Tone; text: string } {
  if (a.suppressed) return { tone: "neutral", text: "suppressed" };
  if (a.phase === "pending") return { tone: "info", text: "pending" };
  if (a.phase === "clearing") return { tone: "warn", text: "clearing" };
  return { tone: a.severity === "critical" ? "danger" : "warn", text: "firing" };
}

export function formatValue(a: AlertRow): string {
  if (a.value === null) return "—";
  if (a.kind === "temperature") return `${(Math.round(a.value * 10) / 10).toFixed(1)} °C`;
  return a.value >= 1 ? "yes" : "no";
}

/** The site page at the alert's time: the chart around when it began. */
export function alertHref(a: AlertRow): string {
  const at = Date.parse(a.firingSince ?? a.activeSince ?? a.lastEvaluatedAt);
  return `/sites/${encodeURIComponent(a.site.slug)}?at=${Number.isNaN(at) ? "" : at}`;
}

export function AlertTable({
  alerts,
  now,
  caption,
  showSite = true,
  onAcknowledge,
  onSilence,
  busyId,
}: {
  alerts: AlertRow[];
  now: number;
  caption: string;
  showSite?: boolean;
  onAcknowledge?: (a: AlertRow) => void;
  onSilence?: (a: AlertRow) => void;
  busyId?: string | null;
}) {
  return (
    <div className="table-wrap">
      <table data-testid="alert-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Alert</th>
            {showSite ? <th scope="col">Site</th> : null}
            <th scope="col">Node</th>
            <th scope="col">Value</th>
            <th scope="col">Threshold</th>
            <th scope="col">Since</th>
            <th scope="col">Evaluated</th>
            {onAcknowledge || onSilence ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => {
            const badge = stateBadge(a);
            const since = a.firingSince ?? a.activeSince;
            return (
              <tr
                key={a.id}
                data-testid={`alert-row-${a.site.slug}-${a.node ?? "site"}-${a.kind}`}
                data-rule={a.ruleName}
                data-state={a.suppressed ? "suppressed" : a.phase}
                data-muted={a.mutedBy ?? ""}
              >
                <td>
                  <Badge tone={badge.tone}>{badge.text}</Badge>{" "}
                  {a.severity === "critical" && a.phase !== "pending" ? (
                    <Badge tone="danger">critical</Badge>
                  ) : null}
                  {a.mutedBy && !a.suppressed ? (
                    <span className="small muted" data-testid="alert-muted">
                      <br />
                      {MUTE_TEXT[a.mutedBy] ?? `muted: ${a.mutedBy}`}
                    </span>
                  ) : null}
                  {a.suppressed ? (
                    <span className="small muted">
                      <br />
                      {MUTE_TEXT[a.suppressed] ?? a.suppressed}
                    </span>
                  ) : null}
                </td>
                <td>
                  <Link href={alertHref(a)}>{a.ruleName}</Link>
                  {a.reportedLateMs ? (
                    <span className="small muted">
                      <br />
                      reported {formatDuration(a.reportedLateMs)} late
                    </span>
                  ) : null}
                  {a.skewMs !== null ? (
                    <span className="small">
                      <br />
                      <Badge tone="warn">clock wrong by {formatDuration(Math.abs(a.skewMs))}</Badge>
                    </span>
                  ) : null}
                  {a.ack ? (
                    <span className="small muted" data-testid="alert-ack">
                      <br />
                      acknowledged by {a.ack.by} <Ago iso={a.ack.at} now={now} />
                    </span>
                  ) : null}
                </td>
                {showSite ? (
                  <td>
                    <Link href={`/sites/${encodeURIComponent(a.site.slug)}`}>{a.site.name}</Link>
                  </td>
                ) : null}
                <td className="mono">{a.node ?? <span className="muted">whole site</span>}</td>
                <td className="nowrap">{formatValue(a)}</td>
                <td>
                  {a.threshold ? (
                    <>
                      {a.threshold.celsius} °C <span className="muted small">{a.threshold.source}</span>
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="nowrap">{since ? <Duration iso={since} now={now} /> : "—"}</td>
                <td className="nowrap">
                  <Ago iso={a.lastEvaluatedAt} now={now} />
                </td>
                {onAcknowledge || onSilence ? (
                  <td className="nowrap">
                    {onAcknowledge && (a.phase === "firing" || a.phase === "clearing") && !a.ack ? (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busyId === a.id}
                        onClick={() => onAcknowledge(a)}
                      >
                        Acknowledge
                      </button>
                    ) : null}{" "}
                    {onSilence ? (
                      <button
                        type="button"
                        className="button button--small button--ghost"
                        onClick={() => onSilence(a)}
                      >
                        Silence…
                      </button>
                    ) : null}
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
