"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { StatusBadge } from "@/components/health/status-badge";
import { TileList } from "@/components/sites/site-health-grid";
import { numberFormat } from "@/components/ui/format";
import { Notice } from "@/components/ui/notice";
import { SITE_KIND_LABELS, type SiteKind } from "@/lib/fleet/kinds";
import { errorMessage } from "@/lib/queries/api";
import {
  FLEET_GRID_PAGE,
  FLEET_HEALTH_POLL_MS,
  fetchFleetGrid,
  fleetHealthKeys,
} from "@/lib/queries/fleet-health";

/**
 * Container: the health grid for every site of one kind (all turbines of all
 * wind farms), sites worst first, a page at a time.
 */
export function FleetKindGrid({ kind, now }: { kind: SiteKind; now: number }) {
  const [limit, setLimit] = useState(FLEET_GRID_PAGE);
  const grid = useQuery({
    queryKey: fleetHealthKeys.grid(kind, limit),
    queryFn: ({ signal }) => fetchFleetGrid(kind, limit, signal),
    placeholderData: keepPreviousData,
    refetchInterval: FLEET_HEALTH_POLL_MS,
  });
  const data = grid.data;
  const label = SITE_KIND_LABELS[kind].toLowerCase();
  if (grid.isError && !data)
    return (
      <Notice tone="danger" title="Could not load the grid" role="alert">
        <p>{errorMessage(grid.error)}</p>
      </Notice>
    );
  if (!data)
    return (
      <div className="loading" role="status">
        <span className="spinner" aria-hidden="true" /> Loading the grid…
      </div>
    );
  const hasMore = data.matching > data.sites.length;
  return (
    <div className="stack" data-testid="fleet-grid">
      <p className="result-count">
        {numberFormat.format(data.clusters)} clusters at {numberFormat.format(data.matching)} sites of kind{" "}
        {label}, worst sites first
      </p>
      {data.sites.map((s) => (
        <section key={s.siteId} className="fleet-grid-site" aria-labelledby={`grid-${s.siteId}`}>
          <h3 id={`grid-${s.siteId}`} className="fleet-grid-head">
            <Link href={`/sites/${s.slug}`}>{s.name}</Link> <StatusBadge status={s.status} />
          </h3>
          <p className="muted small">{s.headline}</p>
          <TileList tiles={s.tiles} now={now} clusterHref={(id) => `/sites/${s.slug}/clusters/${id}`} />
        </section>
      ))}
      {hasMore ? (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            disabled={grid.isFetching}
            onClick={() => setLimit(Math.min(limit + FLEET_GRID_PAGE, 50))}
          >
            Show {Math.min(FLEET_GRID_PAGE, data.matching - data.sites.length)} more sites (
            {numberFormat.format(data.matching - data.sites.length)} not shown)
          </button>
        </div>
      ) : null}
    </div>
  );
}
