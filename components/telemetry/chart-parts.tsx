"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { ChartSeries } from "@/components/charts/time-series-chart";
import { Notice } from "@/components/ui/notice";
import { errorMessage } from "@/lib/queries/api";
import type { ChartRange, SiteChartData } from "@/lib/queries/telemetry";
import { LINE_CHART_MAX_NODES, type SpreadPoint } from "@/lib/telemetry/site-chart-types";

// What the site page's chart panels share: the card with its loading, error,
// "telemetry unavailable" and "updating" states, and node selection.

/** What every panel of the site's telemetry is given. */
export interface PanelProps {
  site: string;
  range: ChartRange;
  onZoom: (from: number, to: number) => void;
}

/** A handful of nodes are drawn as lines; more as a heatmap with lines for the picked ones. */
export function isLineMode(data: { lineSelection: "all" | "selected"; nodeCount: number }): boolean {
  return data.lineSelection === "all" && data.nodeCount <= LINE_CHART_MAX_NODES;
}

/** Picked nodes' lines drawn over the farm's band: their own min–max would bury it. */
export function meanOnly(lines: readonly ChartSeries[]): ChartSeries[] {
  return lines.map((l) => ({ ...l, points: l.points.map((p) => ({ t: p.t, mean: p.mean })) }));
}

/** Selected node ids, kept sorted so the query key does not depend on click order. */
export function useSelection(): [string[], (next: string[]) => void] {
  const [selected, setSelected] = useState<string[]>([]);
  return [
    selected,
    (next) => setSelected([...next].sort((a, b) => a.localeCompare(b, "en", { numeric: true }))),
  ];
}

export function toggleIn(list: readonly string[], id: string, max: number): string[] {
  if (list.includes(id)) return list.filter((x) => x !== id);
  return list.length >= max ? [...list] : [...list, id];
}

/** The farm's spread as one chart series: median line, lowest–highest band. */
export function spreadSeries(points: readonly SpreadPoint[], label: string, unit: string): ChartSeries {
  return {
    id: "__spread",
    label,
    unit,
    points: points
      .filter((p) => p.count > 0)
      .map((p) => ({ t: p.t, min: p.min, mean: p.median, max: p.max })),
  };
}

export function ChartCard<T extends SiteChartData>({
  refEl,
  title,
  query,
  minHeight,
  testId,
  tools,
  children,
}: {
  refEl: React.RefObject<HTMLDivElement | null>;
  title: string;
  query: UseQueryResult<T, unknown>;
  /** reserved while loading, so the page does not jump when the chart arrives */
  minHeight: number;
  testId: string;
  /** controls beside the title (metric picker, "show RTT") */
  tools?: React.ReactNode;
  children: React.ReactNode;
}) {
  const uid = useId();
  const data = query.data;
  return (
    <section
      className="card chart-card"
      aria-labelledby={`${uid}-title`}
      ref={refEl}
      style={{ minHeight }}
      data-testid={testId}
    >
      <div className="chart-card-head">
        <h2 id={`${uid}-title`}>{title}</h2>
        {tools}
        {query.isFetching ? (
          <span className="muted small" role="status">
            Updating…
          </span>
        ) : null}
      </div>
      {query.isError && !data ? (
        <Notice tone="danger" title="Could not load telemetry" role="alert">
          <p>{errorMessage(query.error)}</p>
        </Notice>
      ) : null}
      {!data && query.isPending && query.fetchStatus === "fetching" ? (
        <div className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading {title.toLowerCase()}…
        </div>
      ) : null}
      {data?.unavailable ? (
        <Notice tone="warn" title={`Telemetry unavailable (${data.unavailable.reason})`} role="status">
          <p>
            {data.unavailable.message}
            {data.dataSource ? ` — data source ${data.dataSource.name}.` : "."} Health from the Kubernetes API
            is unaffected.
          </p>
        </Notice>
      ) : data ? (
        <>
          {children}
          <p className="muted small chart-cost">
            {data.pointCount.toLocaleString("en")} values from {data.dataSource?.name ?? "InfluxDB"} in{" "}
            {data.queryMs} ms
          </p>
        </>
      ) : null}
    </section>
  );
}
