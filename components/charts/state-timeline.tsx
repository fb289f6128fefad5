"use client";

import { useId, useMemo } from "react";
import { formatDuration } from "@/lib/health/format";
import type { LinkState } from "@/lib/telemetry/link-state";
import { RowChart, type RowLabel } from "./row-chart";
import { formatSpan, timeTicks } from "./time-axis";

// States over time, one band per row: "which turbines lost the hub at 11:40"
// at a glance. Each state differs by height and pattern as well as colour
// (down = full, lossy = striped, up = thin), and the periods are listed as text.

export interface TimelineRun {
  from: number;
  to: number;
  state: LinkState;
}

export interface TimelineRow {
  id: string;
  label: string;
  runs: readonly TimelineRun[];
  /** a short note after the label in the table (e.g. median RTT) */
  note?: string;
}

const STATE_LABEL: Record<LinkState, string> = { up: "up", lossy: "lossy or slow", down: "down" };
/** Share of the row height each state fills. */
const STATE_HEIGHT: Record<LinkState, number> = { up: 0.4, lossy: 0.75, down: 1 };
const STATE_COLOR: Record<LinkState, string> = { up: "#3f9a63", lossy: "#d9a21b", down: "#e5383b" };

const VIEW_WIDTH = 1_000;
const ROW_HEIGHT = 16;

export interface StateTimelineProps {
  title: string;
  description?: string;
  rows: readonly TimelineRow[];
  from: number;
  to: number;
  selected?: ReadonlySet<string>;
  onToggleRow?: (id: string) => void;
  maxSelected?: number;
  actions?: React.ReactNode;
  testId?: string;
}

export function StateTimeline({
  title,
  description,
  rows,
  from,
  to,
  selected,
  onToggleRow,
  maxSelected = Number.POSITIVE_INFINITY,
  actions,
  testId,
}: StateTimelineProps) {
  const uid = useId();
  const span = to - from;
  const ticks = useMemo(() => timeTicks(from, to, 8), [from, to]);
  const xOf = (t: number) => (Math.min(Math.max(t, from), to) - from) / span;
  const patternId = `${uid}-lossy`;
  const fill = (s: LinkState) => (s === "lossy" ? `url(#${patternId})` : STATE_COLOR[s]);

  const labels: RowLabel[] = rows.map((row) => ({
    id: row.id,
    label: row.label,
    mark: row.runs.at(-1)?.state === "down" ? { icon: "■", text: "down now" } : undefined,
    data: { "down-runs": row.runs.filter((r) => r.state === "down").length },
  }));
  return (
    <RowChart
      title={title}
      description={description}
      actions={actions}
      testId={testId}
      className="timeline"
      rows={labels}
      rowHeight={ROW_HEIGHT}
      selectPurpose="draw their round-trip time"
      rowTestId="timeline-row"
      selected={selected}
      onToggleRow={onToggleRow}
      maxSelected={maxSelected}
      ticks={ticks}
      plot={
        <svg
          className="timeline-plot"
          viewBox={`0 0 ${VIEW_WIDTH} ${rows.length * ROW_HEIGHT}`}
          preserveAspectRatio="none"
          style={{ width: "100%", height: rows.length * ROW_HEIGHT, display: "block" }}
          aria-hidden="true"
          focusable="false"
        >
          <defs>
            <pattern
              id={patternId}
              width="6"
              height="6"
              patternUnits="userSpaceOnUse"
              patternTransform="rotate(45)"
            >
              <rect width="6" height="6" fill="#d9a21b" />
              <rect width="2.5" height="6" fill="#7a5a0c" />
            </pattern>
          </defs>
          <rect x={0} y={0} width={VIEW_WIDTH} height={rows.length * ROW_HEIGHT} fill="#0e141c" />
          {rows.map((row, r) =>
            row.runs.map((run) => {
              const x0 = xOf(run.from) * VIEW_WIDTH;
              const x1 = xOf(run.to) * VIEW_WIDTH;
              if (x1 <= x0) return null;
              const h = (ROW_HEIGHT - 2) * STATE_HEIGHT[run.state];
              return (
                <rect
                  key={`${row.id}-${run.from}`}
                  data-state={run.state}
                  x={x0}
                  width={Math.max(0.8, x1 - x0)}
                  y={r * ROW_HEIGHT + (ROW_HEIGHT - 1 - h)}
                  height={h}
                  fill={fill(run.state)}
                />
              );
            }),
          )}
        </svg>
      }
    >
      <ul className="timeline-legend muted small">
        {(["up", "lossy", "down"] as const).map((s) => (
          <li key={s}>
            <svg width="22" height="12" aria-hidden="true" focusable="false">
              <rect
                x={0}
                y={12 * (1 - STATE_HEIGHT[s])}
                width={22}
                height={12 * STATE_HEIGHT[s]}
                fill={STATE_COLOR[s]}
              />
            </svg>
            {STATE_LABEL[s]}
          </li>
        ))}
        <li>
          <span className="heat-legend-nodata" aria-hidden="true" /> no data
        </li>
      </ul>
      <details className="chart-table">
        <summary>Periods per node</summary>
        <TimelineTable rows={rows} span={span} />
      </details>
    </RowChart>
  );
}

/** Down and lossy periods per node, as text. */
function TimelineTable({ rows, span }: { rows: readonly TimelineRow[]; span: number }) {
  const MAX_LISTED = 4;
  return (
    <div className="table-wrap">
      <table className="table--fit">
        <caption className="visually-hidden">Link state per node</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Down</th>
            <th scope="col">Lossy or slow</th>
            <th scope="col">Without data</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const total = (s: LinkState) =>
              row.runs.filter((r) => r.state === s).reduce((n, r) => n + (r.to - r.from), 0);
            const covered = row.runs.reduce((n, r) => n + (r.to - r.from), 0);
            const periods = (s: LinkState) => {
              const list = row.runs.filter((r) => r.state === s);
              if (list.length === 0) return "never";
              const shown = list.slice(-MAX_LISTED).map((r) => formatSpan(r.from, r.to));
              const more = list.length > MAX_LISTED ? ` and ${list.length - MAX_LISTED} earlier` : "";
              return `${formatDuration(total(s))}: ${shown.join("; ")}${more}`;
            };
            return (
              <tr key={row.id}>
                <th scope="row" className="mono">
                  {row.label}
                  {row.note ? <div className="muted small">{row.note}</div> : null}
                </th>
                <td>{periods("down")}</td>
                <td>{periods("lossy")}</td>
                <td>{covered >= span ? "–" : formatDuration(Math.max(0, span - covered))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
