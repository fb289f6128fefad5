import { formatDateTime } from "@/components/ui/format";
import { formatAgo, formatDuration } from "@/lib/health/format";

// Ages computed in the browser from a timestamp and a ticking "now" (on the
// server's clock, see serverNow), so "since 2 h 14 m" moves without a refetch.

function ageMs(iso: string, now: number): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : Math.max(0, now - t);
}

/** "2 h 14 m" (how long a state has lasted); exact UTC time on hover. */
export function Duration({ iso, now, prefix = "" }: { iso: string; now: number; prefix?: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {prefix}
      {formatDuration(ageMs(iso, now))}
    </time>
  );
}

/** "12 s ago" / "just now"; `never` when there is no timestamp. */
export function Ago({ iso, now, never = "never" }: { iso: string | null; now: number; never?: string }) {
  if (!iso) return <span className="muted">{never}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatAgo(ageMs(iso, now))}
    </time>
  );
}
