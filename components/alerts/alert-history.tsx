import Link from "next/link";
import { Ago } from "@/components/health/age";
import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import { formatDuration } from "@/lib/health/format";
import type { AlertList } from "@/lib/queries/alerts";

// Renderer: what happened, newest first — in event time, with late reports marked.

const WORDS: Record<string, string> = {
  firing: "fired",
  escalated: "escalated to critical",
  resolved: "resolved",
  acknowledged: "acknowledged",
};

export function AlertHistory({ events, now }: { events: AlertList["history"]; now: number }) {
  if (events.length === 0) return <p className="muted">Nothing has fired yet.</p>;
  return (
    <ul className="plain-list" data-testid="alert-history">
      {events.map((e) => (
        <li key={e.id} data-testid={`alert-event-${e.transition}`}>
          <time dateTime={e.at} title={formatDateTime(e.at)}>
            {formatDateTime(e.at)}
          </time>{" "}
          <strong>{e.ruleName}</strong> {WORDS[e.transition] ?? e.transition}
          {e.transition === "acknowledged" && e.actorName ? ` by ${e.actorName}` : ""} —{" "}
          <Link href={`/sites/${encodeURIComponent(e.site.slug)}?at=${Date.parse(e.at)}`}>{e.site.name}</Link>
          {e.node ? <span className="mono"> {e.node}</span> : null}
          {e.value !== null && e.kind === "temperature" ? ` at ${e.value.toFixed(1)} °C` : ""}
          {e.reportedLateMs > 0 ? (
            <>
              {" "}
              <Badge tone="info">reported {formatDuration(e.reportedLateMs)} late</Badge>
            </>
          ) : null}
          {e.mutedBy ? <span className="muted small"> (muted: {e.mutedBy})</span> : null}{" "}
          <span className="muted small">
            <Ago iso={e.at} now={now} />
          </span>
        </li>
      ))}
    </ul>
  );
}
