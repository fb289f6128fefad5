/** A usage bar with the numbers in words (the bar itself is decoration). */
export function UsageBar({
  used,
  capacity,
  format,
  label,
}: {
  used: number | null;
  capacity: number | null;
  format: (n: number | null) => string;
  label: string;
}) {
  if (capacity === null || capacity <= 0) return <span className="muted">unknown</span>;
  if (used === null) return <span>{format(capacity)}</span>;
  const pct = Math.min(100, Math.round((used / capacity) * 100));
  const level = pct >= 90 ? "high" : pct >= 75 ? "mid" : "low";
  return (
    <span className="usage" title={`${label}: ${format(used)} of ${format(capacity)}`}>
      <span className={`usage-bar usage-bar--${level}`} aria-hidden="true">
        <span style={{ width: `${pct}%` }} />
      </span>
      <span className="usage-text">
        {pct} % of {format(capacity)}
        {level === "high" ? <span className="visually-hidden"> (high)</span> : null}
      </span>
    </span>
  );
}
