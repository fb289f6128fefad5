"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { ALERTS_POLL_MS, alertKeys, fetchAlertCounts } from "@/lib/queries/alerts";

/** Container: the fleet page's alert numbers — firing (critical), pending, muted — linking to /alerts. */
export function FleetAlertCount() {
  const q = useQuery({
    queryKey: alertKeys.counts(),
    queryFn: ({ signal }) => fetchAlertCounts(signal),
    refetchInterval: ALERTS_POLL_MS,
  });
  const c = q.data;
  if (!c) return null;
  return (
    <p className="toolbar" data-testid="fleet-alerts" aria-live="polite">
      <Link href="/alerts?state=firing">
        {c.firing > 0 ? (
          <Badge tone={c.critical > 0 ? "danger" : "warn"}>
            {c.firing === 1 ? "1 alert firing" : `${c.firing} alerts firing`}
            {c.critical > 0 ? ` (${c.critical} critical)` : ""}
          </Badge>
        ) : (
          <Badge tone="ok">no alert firing</Badge>
        )}
      </Link>
      {c.pending > 0 ? <span className="muted">{c.pending} pending</span> : null}
      {c.muted + c.suppressed > 0 ? (
        <Link className="muted" href="/alerts?state=muted,suppressed">
          {c.muted + c.suppressed} muted or suppressed
        </Link>
      ) : null}
    </p>
  );
}
