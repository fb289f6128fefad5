"use client";

import { useId, useMemo, useState } from "react";
import { Heatmap } from "@/components/charts/heatmap";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { MAX_LINE_HOSTS, type TurbineChartData } from "@/lib/telemetry/site-chart-types";
import {
  ChartCard,
  isLineMode,
  meanOnly,
  type PanelProps,
  spreadSeries,
  toggleIn,
  useSelection,
} from "./chart-parts";
import { formatBucket } from "./temperature-panel";
import { useSiteChart } from "./use-site-chart";

/** Container: one turbine metric at a time (the picker asks for the next one). */
export function TurbinePanel({
  site,
  range,
  onZoom,
  actions,
}: PanelProps & { actions?: (field: string) => React.ReactNode }) {
  const uid = useId();
  const [field, setField] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useSelection();
  const { ref, query } = useSiteChart<TurbineChartData>(site, {
    ...range,
    view: "turbine",
    field,
    hosts: selected,
  });
  const data = query.data;
  const fields = data?.fields ?? [];
  const current = field ?? data?.field?.field ?? fields[0]?.field;
  return (
    <ChartCard
      refEl={ref}
      title="Turbines"
      query={query}
      minHeight={360}
      testId="turbine-panel"
      tools={
        fields.length > 0 ? (
          <span className="chart-tool">
            <label htmlFor={`${uid}-metric`}>Metric</label>{" "}
            <select id={`${uid}-metric`} value={current} onChange={(e) => setField(e.target.value)}>
              {fields.map((f) => (
                <option key={f.field} value={f.field}>
                  {f.label}
                </option>
              ))}
            </select>
          </span>
        ) : null
      }
    >
      {data ? (
        <TurbineView
          data={data}
          selected={selected}
          onToggle={(id) => setSelected(toggleIn(selected, id, MAX_LINE_HOSTS))}
          onZoom={onZoom}
          actions={data.field ? actions?.(data.field.field) : null}
        />
      ) : null}
    </ChartCard>
  );
}

function TurbineView({
  data,
  selected,
  onToggle,
  onZoom,
  actions,
}: {
  data: TurbineChartData;
  selected: readonly string[];
  onToggle: (id: string) => void;
  onZoom: (from: number, to: number) => void;
  actions?: React.ReactNode;
}) {
  const f = data.field;
  const digits = f && ["kW", "rpm"].includes(f.unit) ? 0 : 1;
  const format = useMemo(
    () => (v: number) => `${v.toFixed(digits)}${f?.unit ? ` ${f.unit}` : ""}`,
    [digits, f?.unit],
  );
  if (!f || data.nodeCount === 0) return <p className="empty">No turbine data in this range</p>;
  const common = {
    from: data.from,
    to: data.to,
    intervalMs: data.intervalMs,
    syncId: `site-telemetry-${data.siteId}`,
    onZoom,
    unit: f.unit,
    digits,
  };
  if (isLineMode(data))
    return (
      <TimeSeriesChart {...common} title={`${f.label} per turbine`} series={data.lines} actions={actions} />
    );
  const lines = meanOnly(data.lines);
  return (
    <div className="stack">
      <Heatmap
        title={`${f.label} per turbine`}
        description={`Each cell is a turbine's mean over one ${formatBucket(data.intervalMs)} bucket, dark (low) to bright (high). Select turbines to draw their lines below.`}
        rows={data.matrix.rows}
        start={data.matrix.start}
        intervalMs={data.intervalMs}
        from={data.from}
        to={data.to}
        scale={{ kind: "sequential" }}
        format={format}
        cellMeaning="mean"
        selected={new Set(selected)}
        onToggleRow={onToggle}
        maxSelected={MAX_LINE_HOSTS}
        actions={actions}
        testId="turbine-heatmap"
      />
      <TimeSeriesChart
        {...common}
        title={lines.length > 0 ? `Selected turbines against the farm` : `${f.label} across the farm`}
        description={`The median turbine with the band from the lowest to the highest${lines.length > 0 ? "; lines: the selected turbines" : ""}.`}
        series={[spreadSeries(data.spread, "Median turbine", f.unit), ...lines]}
        height={200}
      />
    </div>
  );
}
