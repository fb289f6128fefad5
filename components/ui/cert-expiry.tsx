import { certHealth, spanText } from "@/lib/health/cert";
import { Badge } from "./badge";
import { daysUntil, formatDate } from "./format";

/**
 * Certificate expiry as "expires in N days". Warning and error follow the health
 * model's certificate rule (lib/health/cert.ts), so this badge and the site's
 * "degraded: certificate expires" always agree.
 */
export function CertExpiry({ iso, label = "expires" }: { iso: string | null; label?: string }) {
  if (!iso) return <span className="muted">no client certificate</span>;
  const { state, remainingMs } = certHealth(iso, Date.now());
  const days = daysUntil(iso);
  const date = <span className="muted"> ({formatDate(iso)})</span>;
  if (state === "expired") {
    return (
      <span suppressHydrationWarning>
        <Badge tone="danger">expired {spanText(-(remainingMs ?? 0))} ago</Badge>
        {date}
      </span>
    );
  }
  const text = days === 0 ? `${label} today` : `${label} in ${days} ${days === 1 ? "day" : "days"}`;
  if (state === "warning" || state === "critical") {
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
