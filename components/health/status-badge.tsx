import type { FreshnessState, SiteStatus } from "@/lib/health/model";
import { FRESHNESS_META, STATUS_META } from "./status-meta";

/** A site's status: icon + word, coloured by a class (never colour alone). */
export function StatusBadge({ status, size = "normal" }: { status: SiteStatus; size?: "normal" | "large" }) {
  const meta = STATUS_META[status];
  return (
    <span
      className={`status status--${status}${size === "large" ? " status--large" : ""}`}
      data-status={status}
      title={meta.description}
    >
      <span aria-hidden="true" className="status-icon">
        {meta.icon}
      </span>
      {meta.label}
    </span>
  );
}

/** A cluster's freshness: fresh / stale / unreachable / not contacted. */
export function FreshnessBadge({ state }: { state: FreshnessState }) {
  const meta = FRESHNESS_META[state];
  return (
    <span className={`status status--fresh-${state}`} data-freshness={state}>
      <span aria-hidden="true" className="status-icon">
        {meta.icon}
      </span>
      {meta.label}
    </span>
  );
}
