"use client";

import { useState } from "react";
import { StateTimeline } from "@/components/charts/state-timeline";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import {
  type ConnectivityChartData,
  LINE_CHART_MAX_NODES,
  MAX_LINE_HOSTS,
} from "@/lib/telemetry/site-chart-types";
import { ChartCard, type PanelProps, toggleIn, useSelection } from "./chart-parts";
import { useSiteChart } from "./use-site-chart";

/**
 * Container: each node's link to the hub as up / lossy / down over time, and
 * round-trip lines on demand (for the nodes selected, or all of a small site).
 */
export function ConnectivityPanel({
  site,
  range,
  onZoom,
  actions,
}: PanelProps & { actions?: React.ReactNode }) {
  const [isRttShown, setRttShown] = useState(false);
  const [selected, setSelected] = useSelection();
  // A farm's RTT lines only for the nodes picked; a small site's all at once.
  const [nodeCount, setNodeCount] = useState(0);
  const isMany = nodeCount > LINE_CHART_MAX_NODES;
  const { ref, query } = useSiteChart<ConnectivityChartData>(site, {
    ...range,
    view: "connectivity",
    rtt: isRttShown && (selected.length > 0 || !isMany),
    hosts: isRttShown ? selected : undefined,
  });
  if (query.data && query.data.nodeCount !== nodeCount) setNodeCount(query.data.nodeCount);
  const data = query.data;
  return (
    <ChartCard
      refEl={ref}
      title="Connectivity"
      query={query}
      minHeight={260}
      testId="connectivity-panel"
      tools={
        <button
          type="button"
          className="button button--small"
          aria-pressed={isRttShown}
          onClick={() => setRttShown(!isRttShown)}
        >
          {isRttShown ? "Hide round-trip times" : "Show round-trip times"}
        </button>
      }
    >
      {data ? (
        data.timeline.length === 0 ? (
          <p className="empty">No ping results in this range</p>
        ) : (
          <div className="stack">
            <StateTimeline
              title="Link to the hub per node"
              description="From the ping probes: down = every probe lost, lossy = heavy loss or round trips over twice the node's usual; gaps are periods without data (e.g. buffered on site, not yet flushed)."
              rows={data.timeline.map((r) => ({
                id: r.host,
                label: r.host,
                runs: r.runs,
                note: r.medianRttMs === null ? undefined : `usually ${Math.round(r.medianRttMs)} ms`,
              }))}
              from={data.from}
              to={data.to}
              selected={isRttShown ? new Set(selected) : undefined}
              onToggleRow={
                isRttShown ? (id) => setSelected(toggleIn(selected, id, MAX_LINE_HOSTS)) : undefined
              }
              maxSelected={MAX_LINE_HOSTS}
              actions={actions}
              testId="connectivity-timeline"
            />
            {isRttShown ? (
              !data.rtt ? (
                <p className="hint">Select nodes in the timeline to draw their round-trip times.</p>
              ) : (
                <TimeSeriesChart
                  title="Round-trip time to the hub"
                  description="Mean per bucket, shaded from the fastest to the slowest probe."
                  series={data.rtt}
                  unit="ms"
                  digits={0}
                  from={data.from}
                  to={data.to}
                  intervalMs={data.intervalMs}
                  syncId={`site-telemetry-${data.siteId}`}
                  onZoom={onZoom}
                  emptyText="No successful pings in this range"
                />
              )
            ) : null}
          </div>
        )
      ) : null}
    </ChartCard>
  );
}
