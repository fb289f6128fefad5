import { formatAgo } from "@/lib/health/format";

/**
 * "Updated 3 s ago", or a warning once the data on screen is old (three
 * missed refreshes) or a refresh failed: old data must never look current.
 * Only the warning is a live region; the ticking age is not announced.
 */
export function RefreshStatus({
  ageMs,
  oldAfterMs,
  errorText,
  testId,
}: {
  /** how old the data on screen is; null before the browser's clock runs (server render) */
  ageMs: number | null;
  oldAfterMs: number;
  /** set while the latest refresh failed */
  errorText: string | null;
  testId?: string;
}) {
  const isOld = ageMs !== null && ageMs > oldAfterMs;
  const age = ageMs === null ? "just now" : formatAgo(ageMs);
  const isWarning = isOld || errorText !== null;
  const warning = [
    errorText ? `Cannot refresh: ${errorText}.` : "",
    isOld ? `Showing data from ${age}; it may no longer be true.` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    <div
      className={`refresh-status${isWarning ? " refresh-status--warn" : ""}`}
      data-testid={testId}
      data-outdated={isOld ? "true" : "false"}
    >
      <span aria-hidden="true">{isWarning ? "▲" : "●"}</span>
      <span role="status">{warning}</span>
      {isOld ? null : <span>{errorText ? `Last update ${age}` : `Updated ${age}`}</span>}
    </div>
  );
}
