"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "@/components/ui/format";
import { fetchActiveMaintenance, MAINTENANCE_POLL_MS, maintenanceKeys } from "@/lib/queries/maintenance";

const SHOWN = 5;

/** Container: sites in maintenance right now, on the fleet page (count, then the soonest to end). */
export function FleetMaintenance() {
  const q = useQuery({
    queryKey: maintenanceKeys.active(),
    queryFn: ({ signal }) => fetchActiveMaintenance(signal),
    refetchInterval: MAINTENANCE_POLL_MS,
  });
  const items = q.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="card" aria-labelledby="fleet-maintenance-title" data-testid="fleet-maintenance">
      <h2 id="fleet-maintenance-title">
        {items.length === 1 ? "1 site in maintenance" : `${items.length} sites in maintenance`}
      </h2>
      <ul className="plain-list">
        {items.slice(0, SHOWN).map((w) => (
          <li key={w.id}>
            <Link href={`/sites/${w.siteSlug}`}>{w.siteName}</Link>: {w.reason}{" "}
            <span className="muted">
              until {formatDateTime(new Date(w.endsAt).toISOString())} ({w.createdBy})
            </span>
          </li>
        ))}
      </ul>
      {items.length > SHOWN ? <p className="hint">and {items.length - SHOWN} more</p> : null}
    </section>
  );
}
