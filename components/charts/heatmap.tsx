"use client";

import { useLayoutEffect, useMemo, useRef, useState } from "react";
import { useElementWidth } from "@/components/hooks/use-element-width";
import { formatDuration } from "@/lib/health/format";
import { rowStats } from "@/lib/telemetry/matrix";
import { heatColor, isAbove, LEGEND_OFFSETS, NO_DATA_COLOR, sequentialColor } from "./heat-scale";
import { RowChart, type RowLabel } from "./row-chart";
import { formatSpan, formatTime, tickCountFor, timeTicks } from "./time-axis";

// Node × time on one canvas: a 23-node farm over 7 days is ~23,000 cells,
// which as SVG would be 23,000 DOM nodes. The row names are real buttons
// (select a node to draw its line), the canvas is hidden from assistive tech,
// and the same numbers are in a table under the chart.

export interface HeatmapRow {
  id: string;
  label: string;
  /** one value per bucket from `start`; null = no reading */
  cells: readonly (number | null)[];
  /** this row's warning limit when it differs from the chart's */
  threshold?: number;
}

export type HeatScale = { kind: "threshold"; threshold: number } | { kind: "sequential" };

export interface HeatmapProps {
  title: string;
  description?: string;
  rows: readonly HeatmapRow[];
  /** first bucket's start and bucket size (the matrix's), and the range on screen */
  start: number;
  intervalMs: number;
  from: number;
  to: number;
  scale: HeatScale;
  /** display text of a value in the viewer's unit (e.g. "81.2 °C") */
  format: (value: number) => string;
  /** what a cell holds, for the tooltip and table ("highest reading", "mean") */
  cellMeaning: string;
  selected?: ReadonlySet<string>;
  onToggleRow?: (id: string) => void;
  /** rows that may be selected at once */
  maxSelected?: number;
  actions?: React.ReactNode;
  testId?: string;
}

const MAX_ROW_HEIGHT = 18;
const MIN_ROW_HEIGHT = 10;
/** Rows share about this much height before each gets smaller. */
const TARGET_HEIGHT = 420;

function rowThreshold(scale: HeatScale, row: HeatmapRow): number | null {
  if (scale.kind !== "threshold") return null;
  return row.threshold ?? scale.threshold;
}

/** The last reading of a row, for "is it hot now". */
export function latestCell(cells: readonly (number | null)[]): number | null {
  for (let i = cells.length - 1; i >= 0; i--) {
    const v = cells[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

export function Heatmap({
  title,
  description,
  rows,
  start,
  intervalMs,
  from,
  to,
  scale,
  format,
  cellMeaning,
  selected,
  onToggleRow,
  maxSelected = Number.POSITIVE_INFINITY,
  actions,
  testId,
}: HeatmapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [plotRef, width] = useElementWidth<HTMLDivElement>();
  const [hover, setHover] = useState<{ row: number; cell: number; x: number; y: number } | null>(null);
  const rowHeight = Math.max(
    MIN_ROW_HEIGHT,
    Math.min(MAX_ROW_HEIGHT, Math.floor(TARGET_HEIGHT / Math.max(1, rows.length))),
  );
  const height = rows.length * rowHeight;
  const span = to - from;

  // Sequential scales span the values on screen.
  const range = useMemo(() => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const r of rows)
      for (const v of r.cells) {
        if (v === null) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    return Number.isFinite(lo) ? { lo, hi } : { lo: 0, hi: 1 };
  }, [rows]);

  // Before the browser paints the commit that brought the rows: the cells appear with the names.
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || width <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = NO_DATA_COLOR;
    ctx.fillRect(0, 0, width, height);
    const colors = new Map<number, string>();
    const xOf = (t: number) => ((t - from) / span) * width;
    rows.forEach((row, r) => {
      const y = r * rowHeight;
      const limit = rowThreshold(scale, row);
      colors.clear();
      let hotFrom: number | null = null;
      const flushHot = (x: number) => {
        if (hotFrom === null) return;
        // Above the limit: a bright bar along the top of the row, so "hot" never rests on colour alone.
        ctx.fillStyle = "#ffffff";
        ctx.fillRect(hotFrom, y, Math.max(1, x - hotFrom), 2);
        hotFrom = null;
      };
      row.cells.forEach((v, i) => {
        const t0 = start + i * intervalMs;
        const x0 = Math.max(0, xOf(t0));
        const x1 = Math.min(width, xOf(t0 + intervalMs));
        if (x1 <= 0 || x0 >= width) return;
        if (v === null) {
          flushHot(x0);
          return;
        }
        let color = colors.get(v);
        if (!color) {
          color = limit === null ? sequentialColor(v, range.lo, range.hi) : heatColor(v, limit);
          colors.set(v, color);
        }
        ctx.fillStyle = color;
        // Cells overlap by a fraction of a pixel: no hairline seams at any bucket size.
        ctx.fillRect(x0, y, Math.max(1, x1 - x0 + 0.5), rowHeight - 1);
        if (limit !== null && isAbove(v, limit)) hotFrom ??= x0;
        else flushHot(x0);
      });
      flushHot(width);
    });
    canvas.dataset.drawn = String(rows.length);
  }, [rows, width, height, rowHeight, from, span, start, intervalMs, scale, range]);

  const ticks = useMemo(() => timeTicks(from, to, tickCountFor(width)), [from, to, width]);
  const chosen = selected ?? new Set<string>();
  const isFull = chosen.size >= maxSelected;

  const onMove = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const row = Math.floor(y / rowHeight);
    const t = from + (x / rect.width) * span;
    const cell = Math.floor((t - start) / intervalMs);
    if (row < 0 || row >= rows.length) setHover(null);
    else setHover({ row, cell, x, y });
  };
  const hoverRow = hover ? rows[hover.row] : undefined;
  const hoverValue = hover && hoverRow ? (hoverRow.cells[hover.cell] ?? null) : null;
  const hoverStart = hover ? start + hover.cell * intervalMs : 0;

  const labels: RowLabel[] = rows.map((row) => {
    const latest = latestCell(row.cells);
    const limit = rowThreshold(scale, row);
    const isHot = latest !== null && limit !== null && isAbove(latest, limit);
    return {
      id: row.id,
      label: row.label,
      mark: isHot ? { icon: "▲", text: "hot" } : undefined,
      data: { hot: isHot },
    };
  });
  return (
    <RowChart
      title={title}
      description={description}
      actions={actions}
      testId={testId}
      className="heatmap"
      rows={labels}
      rowHeight={rowHeight}
      selectPurpose="draw their lines"
      rowTestId="heatmap-row"
      selected={selected}
      onToggleRow={onToggleRow}
      maxSelected={maxSelected}
      ticks={ticks}
      plot={
        <div className="heatmap-plot" ref={plotRef}>
          {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: not focusable (no tabindex); the click is a mouse shortcut for the row buttons beside it */}
          <canvas
            ref={canvasRef}
            aria-hidden="true"
            style={{ width: "100%", height, display: "block", cursor: onToggleRow ? "pointer" : undefined }}
            onMouseMove={onMove}
            onMouseLeave={() => setHover(null)}
            onClick={() => {
              if (hoverRow && onToggleRow && (chosen.has(hoverRow.id) || !isFull)) onToggleRow(hoverRow.id);
            }}
          />
          {hover && hoverRow ? (
            <div
              className="heatmap-tooltip"
              aria-hidden="true"
              style={{
                left: Math.min(hover.x + 12, Math.max(0, width - 220)),
                top: hover.y + 14,
              }}
            >
              <strong>{hoverRow.label}</strong>
              <div>{formatSpan(hoverStart, hoverStart + intervalMs)}</div>
              <div>{hoverValue === null ? "no reading" : `${cellMeaning}: ${format(hoverValue)}`}</div>
            </div>
          ) : null}
        </div>
      }
    >
      <HeatLegend scale={scale} format={format} range={range} />
      <details className="chart-table">
        <summary>Numbers per node</summary>
        <HeatmapTable
          rows={rows}
          start={start}
          intervalMs={intervalMs}
          scale={scale}
          format={format}
          cellMeaning={cellMeaning}
        />
      </details>
    </RowChart>
  );
}

function HeatLegend({
  scale,
  format,
  range,
}: {
  scale: HeatScale;
  format: (v: number) => string;
  range: { lo: number; hi: number };
}) {
  if (scale.kind === "sequential") {
    const stops = [0, 0.25, 0.5, 0.75, 1].map((f) => range.lo + f * (range.hi - range.lo));
    return (
      <div className="heat-legend">
        <span className="heat-legend-bar" aria-hidden="true">
          {stops.map((v) => (
            <span key={v} style={{ background: sequentialColor(v, range.lo, range.hi) }} />
          ))}
        </span>
        <span className="muted small">
          {format(range.lo)} to {format(range.hi)} ·{" "}
          <span className="heat-legend-nodata" aria-hidden="true" /> no data
        </span>
      </div>
    );
  }
  const t = scale.threshold;
  return (
    <div className="heat-legend">
      <span className="heat-legend-bar" aria-hidden="true">
        {LEGEND_OFFSETS.map((d) => (
          <span
            key={d}
            style={{ background: heatColor(t + d + (d >= 10 ? 0 : d === 0 ? 0.1 : 0), t) }}
            title={format(t + d)}
          />
        ))}
      </span>
      <span className="muted small">
        cool {format(t + LEGEND_OFFSETS[0])} … warm … red above {format(t)} (white bar on top of the row) ·{" "}
        <span className="heat-legend-nodata" aria-hidden="true" /> no data
      </span>
    </div>
  );
}

/** The heatmap as text: per node, its latest, highest (when), lowest, time above the limit and gaps. */
function HeatmapTable({
  rows,
  start,
  intervalMs,
  scale,
  format,
  cellMeaning,
}: {
  rows: readonly HeatmapRow[];
  start: number;
  intervalMs: number;
  scale: HeatScale;
  format: (v: number) => string;
  cellMeaning: string;
}) {
  const hasLimit = scale.kind === "threshold";
  return (
    <div className="table-wrap">
      <table className="table--fit">
        <caption className="visually-hidden">Per node ({cellMeaning} per bucket)</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Latest</th>
            <th scope="col">Highest</th>
            <th scope="col">Lowest</th>
            {hasLimit ? <th scope="col">Above warning</th> : null}
            <th scope="col">No data</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const limit = rowThreshold(scale, row);
            const st = rowStats(row, start, intervalMs, limit);
            return (
              <tr key={row.id}>
                <th scope="row" className="mono">
                  {row.label}
                </th>
                <td>{st.latest === null ? "–" : `${format(st.latest)} (${formatTime(st.latestAt ?? 0)})`}</td>
                <td>{st.max === null ? "–" : `${format(st.max)} (${formatTime(st.maxAt ?? 0)})`}</td>
                <td>{st.min === null ? "–" : format(st.min)}</td>
                {hasLimit ? (
                  <td>
                    {st.bucketsAbove === 0 ? "never" : formatDuration(st.bucketsAbove * intervalMs)}
                    {limit !== null ? ` (limit ${format(limit)})` : ""}
                  </td>
                ) : null}
                <td>{st.empty === 0 ? "–" : formatDuration(st.empty * intervalMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
