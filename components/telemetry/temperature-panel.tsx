"use client";

import { useMemo } from "react";
import { Heatmap, type HeatmapRow } from "@/components/charts/heatmap";
import { type ChartThreshold, TimeSeriesChart } from "@/components/charts/time-series-chart";
import { formatTemperature, toUnit } from "@/lib/queries/telemetry";
import { MAX_LINE_HOSTS, type TemperatureChartData } from "@/lib/telemetry/site-chart-types";
import {
  ChartCard,
  isLineMode,
  meanOnly,
  type PanelProps,
  spreadSeries,
  toggleIn,
  useSelection,
} from "./chart-parts";
import { useSiteChart } from "./use-site-chart";

/**
 * Container: the site's board temperatures. A handful of nodes are lines; a
 * farm is a heatmap (hottest reading per node and bucket, coloured against the
 * warning limit) with the farm's spread, and lines for the nodes the operator picks.
 */
export function TemperaturePanel({
  site,
  range,
  onZoom,
  actions,
}: PanelProps & { actions?: React.ReactNode }) {
  const [selected, setSelected] = useSelection();
  const { ref, query } = useSiteChart<TemperatureChartData>(
    site,
    { ...range, view: "temperature", hosts: selected },
    { isEager: true },
  );
  const data = query.data;
  return (
    <ChartCard refEl={ref} title="Temperature" query={query} minHeight={420} testId="temperature-panel">
      {data ? (
        <TemperatureView
          data={data}
          selected={selected}
          onToggle={(id) => setSelected(toggleIn(selected, id, MAX_LINE_HOSTS))}
          onZoom={onZoom}
          actions={actions}
        />
      ) : null}
    </ChartCard>
  );
}

function TemperatureView({
  data,
  selected,
  onToggle,
  onZoom,
  actions,
}: {
  data: TemperatureChartData;
  selected: readonly string[];
  onToggle: (id: string) => void;
  onZoom: (from: number, to: number) => void;
  actions?: React.ReactNode;
}) {
  const unit = data.preferredUnit;
  const toPreferred = useMemo(() => (unit === "F" ? (c: number) => toUnit(c, "F") : undefined), [unit]);
  const format = useMemo(() => (c: number) => formatTemperature(c, unit), [unit]);
  const limit = data.threshold.celsius;
  const thresholds: ChartThreshold[] = [
    { value: limit, label: `Warning ${toUnit(limit, unit).toFixed(0)} °${unit} (${data.threshold.source})` },
  ];
  const rows: HeatmapRow[] = useMemo(
    () =>
      data.matrix.rows.map((r) => ({
        id: r.id,
        label: r.label,
        cells: r.cells,
        threshold: data.hostThresholds[r.id]?.celsius,
      })),
    [data.matrix.rows, data.hostThresholds],
  );
  // Per-node limits of the nodes drawn as lines, where they differ from the site's.
  for (const host of new Set(data.lines.map((l) => l.id.split("/")[0] ?? l.id))) {
    const own = data.hostThresholds[host];
    if (own && own.celsius !== limit)
      thresholds.push({
        value: own.celsius,
        label: `${host}: ${toUnit(own.celsius, unit).toFixed(0)} °${unit} (${own.source})`,
      });
  }
  const common = {
    from: data.from,
    to: data.to,
    intervalMs: data.intervalMs,
    syncId: `site-telemetry-${data.siteId}`,
    onZoom,
    unit: `°${unit}`,
    transform: toPreferred,
    thresholds,
  };
  if (data.nodeCount === 0) return <p className="empty">No temperature readings in this range</p>;
  if (isLineMode(data)) {
    return (
      <TimeSeriesChart
        {...common}
        title="Board temperature per node"
        description={`Warning above ${format(limit)}.`}
        series={data.lines}
        emptyText="No temperature readings in this range"
        actions={actions}
      />
    );
  }
  const selection = new Set(selected);
  const spread = spreadSeries(data.spread, "Median node", "°C");
  // Lines of the chosen nodes over the farm's band: their own min–max would bury the band.
  const lines = meanOnly(data.lines);
  return (
    <div className="stack">
      <Heatmap
        title="Board temperature per node"
        description={`Each cell is a node's hottest reading in one ${formatBucket(data.intervalMs)} bucket; red above the warning limit (${format(limit)}, ${data.threshold.source}). Select nodes to draw their lines below.`}
        rows={rows}
        start={data.matrix.start}
        intervalMs={data.intervalMs}
        from={data.from}
        to={data.to}
        scale={{ kind: "threshold", threshold: limit }}
        format={format}
        cellMeaning="highest reading"
        selected={selection}
        onToggleRow={onToggle}
        maxSelected={MAX_LINE_HOSTS}
        actions={actions}
        testId="temperature-heatmap"
      />
      <TimeSeriesChart
        {...common}
        title={lines.length > 0 ? "Selected nodes against the farm" : "Temperature across the farm"}
        description={`The median node's hottest reading with the band from the coolest to the hottest node${lines.length > 0 ? "; lines: the selected nodes" : "; select nodes in the heatmap to draw their lines"}.`}
        series={[spread, ...lines]}
        height={220}
        emptyText="No temperature readings in this range"
      />
    </div>
  );
}

export function formatBucket(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}
