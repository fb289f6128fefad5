import { formatAgo, formatDateTime } from "./format";

/** "5 m ago" with the exact UTC time on hover and for screen readers. */
export function RelativeTime({ iso, never = "never" }: { iso: string | null; never?: string }) {
  if (!iso) return <span className="muted">{never}</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} suppressHydrationWarning>
      {formatAgo(iso)}
    </time>
  );
}
