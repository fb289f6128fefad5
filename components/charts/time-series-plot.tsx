"use client";

import { useMemo, useState } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { FULL_TIME, formatValue, timeFormatter } from "./chart-format";
import {
  applyTransform,
  type ChartBand,
  type ChartRow,
  type ChartSeries,
  type ChartThreshold,
  seriesStyle,
} from "./series";
import { tickCountFor, timeTicks } from "./time-axis";

// The drawn part of TimeSeriesChart: the only module that imports recharts. It is
// loaded on demand (time-series-chart.tsx), so pages pay for recharts only where
// a line chart is drawn, not in their first-load JavaScript.

/** The y axis' width plus the plot's left and right margins (px): what the x axis does not get. */
const X_AXIS_INSET_PX = 76;

/**
 * What both drawings of a TimeSeriesChart's plot are given: this recharts plot and the SVG preview
 * that stands in for it until this module has loaded (time-series-chart.tsx). One type, so the two
 * cannot come to draw different things from the same chart.
 */
export interface PlotProps {
  series: ChartSeries[];
  hidden: ReadonlySet<string>;
  unit: string;
  from: number;
  to: number;
  intervalMs: number;
  thresholds: ChartThreshold[];
  bands: ChartBand[];
  height: number;
  /**
   * display conversion (e.g. °C → °F); required though it may be undefined, so a drawing that
   * is not handed it fails to compile instead of showing unconverted values
   */
  transform: ((value: number) => number) | undefined;
  digits: number;
}

interface TimeSeriesPlotProps extends PlotProps {
  /** the box's width as already measured (px; 0 = not yet): the first render needs no measuring pass */
  initialWidth: number;
  rows: ChartRow[];
  syncId?: string;
  hasRange: boolean;
  isAnimated: boolean;
  onZoom?: (from: number, to: number) => void;
}

export default function TimeSeriesPlot({
  initialWidth,
  rows,
  series,
  hidden,
  unit,
  from,
  to,
  intervalMs,
  thresholds,
  bands,
  syncId,
  height,
  hasRange,
  isAnimated,
  transform,
  digits,
  onZoom,
}: TimeSeriesPlotProps) {
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const formatTick = useMemo(() => timeFormatter(from, to), [from, to]);
  // Ticks chosen here for the width, shown as given (interval 0): left to itself, recharts sizes
  // every candidate label in a DOM span (a forced layout each) to drop the overlapping ones, for
  // the axis and again for the grid's vertical lines: ≈ 190 ms of the 590 ms task that first drew
  // a 24 h site page in Chromium.
  const xTicks = useMemo(
    () => timeTicks(from, to, tickCountFor((initialWidth || 600) - X_AXIS_INSET_PX)).map((t) => t.t),
    [from, to, initialWidth],
  );
  const format = (v: number | null | undefined) => formatValue(v, digits, unit);

  const finishDrag = () => {
    if (drag && onZoom) {
      const a = Math.min(drag.start, drag.end);
      const b = Math.max(drag.start, drag.end);
      // A click is not a zoom: ask for at least two buckets.
      if (b - a >= 2 * intervalMs) onZoom(a, b);
    }
    setDrag(null);
  };

  const labelOf = (v: unknown): number | null => {
    const n = typeof v === "number" ? v : Number(v);
    return Number.isFinite(n) ? n : null;
  };

  return (
    <div style={{ width: "100%", height, userSelect: drag ? "none" : undefined }} aria-hidden="true">
      <ResponsiveContainer
        width="100%"
        height="100%"
        initialDimension={initialWidth > 0 ? { width: initialWidth, height } : undefined}
      >
        <ComposedChart
          data={rows}
          syncId={syncId}
          syncMethod="value"
          // The plot is hidden from assistive tech (the summary table speaks for it): not a tab stop either.
          accessibilityLayer={false}
          margin={{ top: 8, right: 16, bottom: 4, left: 4 }}
          onMouseDown={
            onZoom
              ? (e) => {
                  const t = labelOf(e.activeLabel);
                  if (t !== null) setDrag({ start: t, end: t });
                }
              : undefined
          }
          onMouseMove={
            onZoom
              ? (e) => {
                  const t = labelOf(e.activeLabel);
                  if (drag && t !== null) setDrag({ ...drag, end: t });
                }
              : undefined
          }
          onMouseUp={onZoom ? finishDrag : undefined}
          onMouseLeave={onZoom ? () => setDrag(null) : undefined}
        >
          <CartesianGrid
            stroke="#334357"
            strokeDasharray="3 3"
            // At the x axis' own ticks: recharts' default places them by sizing every label again.
            verticalCoordinatesGenerator={({ offset }) =>
              xTicks.map((t) => offset.left + ((t - from) / (to - from)) * offset.width)
            }
          />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            allowDataOverflow
            ticks={xTicks}
            interval={0}
            tickFormatter={formatTick}
            stroke="#b4c0ce"
            tick={{ fill: "#b4c0ce", fontSize: 12 }}
          />
          <YAxis
            stroke="#b4c0ce"
            tick={{ fill: "#b4c0ce", fontSize: 12 }}
            width={56}
            // recharts' five round ticks fit any plot height here: nothing to measure and drop.
            interval={0}
            domain={["auto", "auto"]}
            tickFormatter={(v: number) => `${Number(v.toFixed(digits))}`}
            label={{ value: unit, angle: -90, position: "insideLeft", fill: "#b4c0ce", fontSize: 12 }}
          />
          <Tooltip
            isAnimationActive={false}
            contentStyle={{ background: "#131a23", border: "1px solid #4d6480", color: "#f0f4f8" }}
            labelStyle={{ color: "#f0f4f8" }}
            labelFormatter={(t) => FULL_TIME.format(Number(t))}
            formatter={(value, name) => {
              if (Array.isArray(value))
                return [`${format(value[0] as number)} – ${format(value[1] as number)}`, `${name} (min–max)`];
              return [format(value as number), name];
            }}
          />
          {bands.map((b) => (
            <ReferenceArea
              key={`${b.from}-${b.label}`}
              x1={Math.max(b.from, from)}
              x2={Math.min(b.to, to)}
              fill={b.tone === "danger" ? "#ff8a80" : "#ffcc4d"}
              fillOpacity={0.14}
              stroke={b.tone === "danger" ? "#ff8a80" : "#ffcc4d"}
              strokeOpacity={0.4}
              ifOverflow="hidden"
            />
          ))}
          {thresholds.map((th) => (
            <ReferenceLine
              key={th.label}
              y={applyTransform(th.value, transform)}
              stroke="#ffcc4d"
              strokeWidth={2}
              strokeDasharray="6 3"
              ifOverflow="extendDomain"
              label={{ value: th.label, position: "insideTopRight", fill: "#ffcc4d", fontSize: 12 }}
            />
          ))}
          {hasRange
            ? series.map((s, i) =>
                hidden.has(s.id) ? null : (
                  <Area
                    key={`r-${s.id}`}
                    dataKey={`r${i}`}
                    name={s.label}
                    stroke="none"
                    fill={seriesStyle(i).color}
                    fillOpacity={0.12}
                    connectNulls={false}
                    isAnimationActive={false}
                    legendType="none"
                    activeDot={false}
                  />
                ),
              )
            : null}
          {series.map((s, i) => {
            if (hidden.has(s.id)) return null;
            const { color, dash } = seriesStyle(i);
            return (
              <Line
                key={s.id}
                dataKey={`s${i}`}
                name={s.label}
                stroke={color}
                strokeWidth={2}
                strokeDasharray={dash || undefined}
                dot={false}
                activeDot={{ r: 3 }}
                connectNulls={false}
                isAnimationActive={isAnimated}
                type="linear"
              />
            );
          })}
          {drag && drag.start !== drag.end ? (
            <ReferenceArea x1={drag.start} x2={drag.end} fill="#79b8ff" fillOpacity={0.2} stroke="#79b8ff" />
          ) : null}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
