import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/ui/format";
import type { AuditEventView } from "@/lib/queries/audit";

function detailText(json: string): string {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && v !== null);
    return entries.map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join("  ");
  } catch {
    return json;
  }
}

const RESULT_TONE = { ok: "ok", denied: "warn", error: "danger" } as const;

/** Renderer: audit events, newest first. */
export function AuditTable({ events }: { events: AuditEventView[] }) {
  if (events.length === 0) return <p className="empty">No audit events yet.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Result</th>
            <th scope="col">Target</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="mono">{formatDateTime(e.at).replace(" UTC", "")}</td>
              <td>{e.actorName}</td>
              <td className="mono">{e.action}</td>
              <td>
                <Badge tone={RESULT_TONE[e.result as keyof typeof RESULT_TONE] ?? "neutral"}>
                  {e.result}
                </Badge>
              </td>
              <td className="mono">{e.targetType ? `${e.targetType}/${e.targetId ?? "?"}` : "—"}</td>
              <td className="mono" style={{ overflowWrap: "anywhere" }}>
                {detailText(e.detail)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
