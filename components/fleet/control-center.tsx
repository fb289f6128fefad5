"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import { useEffect, useMemo, useState } from "react";
import { FleetAlertCount } from "@/components/alerts/fleet-alert-count";
import { useFleetSelection } from "@/components/deploy/use-fleet-selection";
import { RefreshStatus } from "@/components/health/refresh-status";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { serverNow, useNow } from "@/components/hooks/use-now";
import { FleetMaintenance } from "@/components/maintenance/fleet-maintenance";
import { HottestNodes } from "@/components/telemetry/hottest-nodes";
import { numberFormat } from "@/components/ui/format";
import { selectedCount } from "@/lib/deploy/fleet-selection";
import type { SiteKind } from "@/lib/fleet/kinds";
import type { SiteStatus } from "@/lib/health/model";
import { errorMessage } from "@/lib/queries/api";
import {
  FLEET_HEALTH_POLL_MS,
  FLEET_MAP_POLL_MS,
  FLEET_MAX_ROWS,
  FLEET_PAGE_SIZE,
  type FleetFilters,
  type FleetMap as FleetMapData,
  type FleetPage,
  fetchFleetHealth,
  fetchFleetMap,
  fleetFilterParams,
  fleetHealthKeys,
  HEALTH_DATA_OLD_MS,
  isFiltered,
  type MapPoint,
  sameFleetFilters,
} from "@/lib/queries/fleet-health";
import { FleetHealthFilters } from "./fleet-health-filters";
import { FleetKindGrid } from "./fleet-kind-grid";
import { FleetMap } from "./fleet-map";
import { FleetSiteList } from "./fleet-site-list";
import { FleetStripActionsSlot } from "./fleet-slots";
import { StatusCounts } from "./status-counts";

const TEXT_DEBOUNCE_MS = 300;

// Bulk actions (deploy's) load only once a row is ticked: the list's first load stays small.
const FleetSelectionBar = dynamic(
  () => import("@/components/deploy/fleet-selection-bar").then((m) => m.FleetSelectionBar),
  { ssr: false },
);

/** One empty list while the map loads, so the map's memoised fit is not redone per render. */
const NO_POINTS: MapPoint[] = [];

/**
 * Container: the control center. The server rendered the first page; from
 * then on react-query polls the fleet roll-up (filtered and paged on the
 * server) and, less often, the map. Filters live in the address bar.
 */
export function ControlCenter({
  initialFilters,
  initialPage,
  initialMap,
  isOperator = false,
}: {
  initialFilters: FleetFilters;
  initialPage: FleetPage;
  /** null: too many sites to send with the page; the map is fetched once the page has hydrated */
  initialMap: FleetMapData | null;
  /** for the strip's slot (who may create embeds) */
  isOperator?: boolean;
}) {
  const [status, setStatus] = useState<SiteStatus[]>(initialFilters.status);
  const [kind, setKind] = useState<SiteKind | "">(initialFilters.kind);
  const [q, setQ] = useState(initialFilters.q);
  const [label, setLabel] = useState(initialFilters.label);
  // The grid (a tile per cluster) needs a kind: all turbines of all farms, all stores' clusters…
  const [isGrid, setGrid] = useState(false);
  const debouncedQ = useDebouncedValue(q, TEXT_DEBOUNCE_MS);
  const debouncedLabel = useDebouncedValue(label, TEXT_DEBOUNCE_MS);
  const filters = useMemo<FleetFilters>(
    () => ({ status, kind, q: debouncedQ.trim(), label: debouncedLabel.trim() }),
    [status, kind, debouncedQ, debouncedLabel],
  );
  // "Show more" grows the window for these filters; new filters start again from the first page.
  const filterKey = fleetFilterParams(filters).toString();
  const [more, setMore] = useState({ key: filterKey, limit: FLEET_PAGE_SIZE });
  const limit = more.key === filterKey ? more.limit : FLEET_PAGE_SIZE;
  const isInitial = sameFleetFilters(filters, initialFilters) && limit === FLEET_PAGE_SIZE;

  const list = useQuery({
    queryKey: fleetHealthKeys.list(filters, limit),
    queryFn: ({ signal }) => fetchFleetHealth(filters, limit, signal),
    initialData: isInitial ? initialPage : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: FLEET_HEALTH_POLL_MS,
  });
  const map = useQuery({
    queryKey: fleetHealthKeys.map(),
    queryFn: ({ signal }) => fetchFleetMap(signal),
    initialData: initialMap ?? undefined,
    refetchInterval: FLEET_MAP_POLL_MS,
  });

  // ?view=grid opens the grid (read after hydration: the server rendered the list).
  useEffect(() => {
    if (new URLSearchParams(window.location.search).get("view") === "grid") setGrid(true);
  }, []);

  // Shareable address: ?status=…&kind=…&label=…&q=…(&view=grid) mirrors the filters (Next syncs replaceState).
  useEffect(() => {
    const params = fleetFilterParams(filters);
    if (isGrid && filters.kind) params.set("view", "grid");
    const search = params.toString();
    const target = `${window.location.pathname}${search ? `?${search}` : ""}`;
    if (target !== `${window.location.pathname}${window.location.search}`)
      window.history.replaceState(null, "", target);
  }, [filters, isGrid]);

  const now = useNow();
  const page = list.data ?? initialPage;
  const receivedAt = list.isPlaceholderData ? 0 : list.dataUpdatedAt;
  const ageMs = now === null || receivedAt <= 0 ? null : Math.max(0, now - receivedAt);
  const isOutdated = ageMs !== null && ageMs > HEALTH_DATA_OLD_MS;
  const clock = serverNow(page.generatedAt, receivedAt, now);
  const errorText = list.isError ? errorMessage(list.error) : null;
  const mapAgeMs = now === null ? null : now - map.dataUpdatedAt;

  const toggle = (s: SiteStatus) =>
    setStatus((cur) => (cur.includes(s) ? cur.filter((x) => x !== s) : [...cur, s]));
  const shown = page.items.length;
  const hasMore = page.matching > shown;
  // Operators tick sites for "Deploy to selection" / "Restart workloads" (viewers cannot act).
  const bulk = useFleetSelection(
    filterKey,
    page.items.map((s) => s.slug),
  );
  const selected = selectedCount(bulk.selection, page.matching);

  return (
    <div className="control-center">
      <RefreshStatus
        ageMs={ageMs}
        oldAfterMs={HEALTH_DATA_OLD_MS}
        errorText={errorText}
        testId="refresh-status"
      />
      <div className="strip-row">
        <StatusCounts
          counts={page.counts}
          selected={status}
          onToggle={toggle}
          onClear={() => setStatus([])}
        />
        <FleetStripActionsSlot filters={filters} isOperator={isOperator} />
      </div>
      <FleetAlertCount />
      <FleetMaintenance />
      <div className="control-grid">
        <section aria-labelledby="fleet-list-title" className="control-list">
          <h2 id="fleet-list-title">Sites, worst first</h2>
          <FleetHealthFilters
            q={q}
            kind={kind}
            label={label}
            onQChange={setQ}
            onKindChange={setKind}
            onLabelChange={setLabel}
          />
          {kind ? (
            <fieldset className="view-toggle">
              <legend className="visually-hidden">Show sites as</legend>
              <button
                type="button"
                className={`button button--small${isGrid ? "" : " button--primary"}`}
                aria-pressed={!isGrid}
                onClick={() => setGrid(false)}
              >
                List
              </button>
              <button
                type="button"
                className={`button button--small${isGrid ? " button--primary" : ""}`}
                aria-pressed={isGrid}
                onClick={() => setGrid(true)}
                data-testid="grid-toggle"
              >
                Grid of clusters
              </button>
            </fieldset>
          ) : null}
          {kind && isGrid ? (
            <FleetKindGrid kind={kind} now={clock} />
          ) : (
            <>
              <p className="result-count" aria-live="polite" data-testid="fleet-count">
                {list.isPlaceholderData
                  ? "Filtering…"
                  : `${numberFormat.format(page.matching)} of ${numberFormat.format(page.counts.total)} sites${isFiltered(filters) ? " match the filters" : ""}`}
              </p>
              {isOperator && selected > 0 ? (
                <FleetSelectionBar
                  selection={bulk.selection}
                  matching={page.matching}
                  onSelectAll={bulk.selectAll}
                  onClear={bulk.clear}
                />
              ) : null}
              {page.items.length > 0 ? (
                <FleetSiteList
                  selection={isOperator ? bulk.list : undefined}
                  sites={page.items}
                  now={clock}
                  isOutdated={isOutdated || list.isPlaceholderData}
                  caption={
                    hasMore
                      ? `The ${numberFormat.format(shown)} worst of ${numberFormat.format(page.matching)}`
                      : `${numberFormat.format(shown)} ${shown === 1 ? "site" : "sites"}`
                  }
                />
              ) : (
                <p className="empty" data-testid="fleet-list-empty">
                  {isFiltered(filters) ? "No site matches these filters." : "No sites yet."}
                </p>
              )}
              {hasMore ? (
                limit < FLEET_MAX_ROWS ? (
                  <div className="form-actions">
                    <button
                      type="button"
                      className="button"
                      disabled={list.isFetching}
                      onClick={() =>
                        setMore({ key: filterKey, limit: Math.min(limit + FLEET_PAGE_SIZE, FLEET_MAX_ROWS) })
                      }
                    >
                      Show {Math.min(FLEET_PAGE_SIZE, page.matching - shown)} more (
                      {numberFormat.format(page.matching - shown)} not shown)
                    </button>
                  </div>
                ) : (
                  <p className="hint">
                    Showing the {FLEET_MAX_ROWS} worst. Narrow the filters (state, kind, label or search) to
                    see the others.
                  </p>
                )
              ) : null}
            </>
          )}
        </section>
        <section aria-labelledby="fleet-map-title" className="control-map">
          <h2 id="fleet-map-title">Map</h2>
          <FleetMap
            points={map.data?.points ?? NO_POINTS}
            isLoading={map.data === undefined}
            isOutdated={map.data !== undefined && mapAgeMs !== null && mapAgeMs > 3 * FLEET_MAP_POLL_MS}
          />
          <HottestNodes />
        </section>
      </div>
    </div>
  );
}
