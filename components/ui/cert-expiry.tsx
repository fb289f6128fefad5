import { Badge } from "./badge";
import { daysUntil, formatDate } from "./format";

export const CERT_WARNING_DAYS = 30;

/** Certificate expiry as "expires in N days"; under 30 days it becomes a warning, past it an error. */
export function CertExpiry({ iso, label = "expires" }: { iso: string | null; label?: string }) {
  if (!iso) return <span className="muted">no client certificate</span>;
  const days = daysUntil(iso);
  const date = <span className="muted"> ({formatDate(iso)})</span>;
  if (days < 0) {
    return (
      <span suppressHydrationWarning>
        <Badge tone="danger">expired {Math.abs(days)} days ago</Badge>
        {date}
      </span>
    );
  }
  const text = days === 0 ? `${label} today` : `${label} in ${days} ${days === 1 ? "day" : "days"}`;
  if (days < CERT_WARNING_DAYS) {
    return (
      <span suppressHydrationWarning>
        <Badge tone="warn">{text}</Badge>
        {date}
      </span>
    );
  }
  return (
    <span suppressHydrationWarning>
      {text}
      {date}
    </span>
  );
}
