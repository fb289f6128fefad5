"use client";

import { useId, useMemo, useState } from "react";
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
import { type ChartPoint, type ChartSeries, seriesStats, seriesStyle, toRows } from "./series";

// The one chart of Outpost: a thin wrapper over recharts with a typed series
// contract. Rules it enforces for every caller: a missing bucket is a gap
// (never a line across an outage), min–max bands keep spikes visible, series
// differ by dash pattern as well as colour, and the same numbers exist as text.
// The pure series rules live in ./series (shared with the server-rendered embeds).

export type { ChartPoint, ChartSeries };
export { seriesStats, seriesStyle, toRows };

export interface ChartThreshold {
  value: number;
  label: string;
}

/** A stretch of time to shade (e.g. link down); `label` is read out and shown. */
export interface ChartBand {
  from: number;
  to: number;
  label: string;
  tone: "danger" | "warn";
}

export interface TimeSeriesChartProps {
  title: string;
  /** one sentence: what the chart shows and how to read it */
  description?: string;
  series: ChartSeries[];
  unit: string;
  from: number;
  to: number;
  /** bucket size: consecutive points further apart than this are a gap */
  intervalMs: number;
  thresholds?: ChartThreshold[];
  bands?: ChartBand[];
  /** charts with the same syncId share one crosshair (matched by time, not index) */
  syncId?: string;
  height?: number;
  /** draw the min–max band behind each line (default when points carry min/max) */
  isRangeShown?: boolean;
  /** display conversion (e.g. °C → °F); data stays as given */
  transform?: (value: number) => number;
  digits?: number;
  /** drag across the chart to zoom; omitted: no zoom */
  onZoom?: (from: number, to: number) => void;
  emptyText?: string;
  /** controls for this chart (e.g. "Embed"), shown beside its title */
  actions?: React.ReactNode;
}

/** Above this many rows animation only delays the first useful paint. */
const ANIMATE_MAX_ROWS = 60;

function timeFormatter(from: number, to: number): (t: number) => string {
  const span = to - from;
  const fmt = new Intl.DateTimeFormat(undefined, {
    ...(span > 36 * 3_600_000 ? { day: "2-digit", month: "short" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    ...(span <= 30 * 60_000 ? { second: "2-digit" } : {}),
  });
  return (t) => fmt.format(t);
}

const FULL_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function TimeSeriesChart({
  title,
  description,
  series,
  unit,
  from,
  to,
  intervalMs,
  thresholds = [],
  bands = [],
  syncId,
  height = 260,
  isRangeShown,
  transform,
  digits = 1,
  onZoom,
  emptyText = "No data in this range",
  actions,
}: TimeSeriesChartProps) {
  const uid = useId();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);
  const rows = useMemo(() => toRows(series, intervalMs, transform), [series, intervalMs, transform]);
  const formatTick = useMemo(() => timeFormatter(from, to), [from, to]);
  const format = (v: number | null | undefined) =>
    v === null || v === undefined ? "–" : `${v.toFixed(digits)} ${unit}`;
  const conv = (v: number | null) => (v === null ? null : transform ? transform(v) : v);
  const hasRange = isRangeShown ?? series.some((s) => s.points.some((p) => p.min != null && p.max != null));
  const isAnimated = rows.length <= ANIMATE_MAX_ROWS;
  const isEmpty = rows.length === 0;

  const toggle = (id: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

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
    <figure
      className="chart"
      aria-labelledby={`${uid}-title`}
      aria-describedby={description ? `${uid}-desc` : undefined}
      style={{ margin: 0 }}
    >
      <figcaption>
        <div className="chart-head">
          <h3 id={`${uid}-title`} style={{ fontSize: "1rem", marginBottom: "0.25rem" }}>
            {title}
          </h3>
          {actions}
        </div>
        {description ? (
          <p id={`${uid}-desc`} className="hint" style={{ margin: "0 0 0.5rem" }}>
            {description}
          </p>
        ) : null}
      </figcaption>
      {series.length > 1 ? (
        <fieldset
          style={{
            border: 0,
            padding: 0,
            margin: "0 0 0.5rem",
            display: "flex",
            flexWrap: "wrap",
            gap: "0.25rem",
          }}
        >
          <legend className="visually-hidden">Show or hide series</legend>
          {series.map((s, i) => {
            const { color, dash } = seriesStyle(i);
            const isHidden = hidden.has(s.id);
            return (
              <button
                key={s.id}
                type="button"
                className="button button--small button--ghost"
                aria-pressed={!isHidden}
                onClick={() => toggle(s.id)}
                style={{
                  opacity: isHidden ? 0.55 : 1,
                  display: "inline-flex",
                  alignItems: "center",
                  gap: "0.4rem",
                }}
              >
                <svg width="24" height="8" aria-hidden="true" focusable="false">
                  <line
                    x1="0"
                    y1="4"
                    x2="24"
                    y2="4"
                    stroke={color}
                    strokeWidth="2.5"
                    strokeDasharray={dash || undefined}
                  />
                </svg>
                <span style={{ textDecoration: isHidden ? "line-through" : "none" }}>{s.label}</span>
              </button>
            );
          })}
        </fieldset>
      ) : null}
      {isEmpty ? (
        <p className="empty" style={{ minHeight: height / 2 }}>
          {emptyText}
        </p>
      ) : (
        <div style={{ width: "100%", height, userSelect: drag ? "none" : undefined }} aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
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
              <CartesianGrid stroke="#334357" strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from, to]}
                allowDataOverflow
                tickFormatter={formatTick}
                stroke="#b4c0ce"
                tick={{ fill: "#b4c0ce", fontSize: 12 }}
                minTickGap={40}
              />
              <YAxis
                stroke="#b4c0ce"
                tick={{ fill: "#b4c0ce", fontSize: 12 }}
                width={56}
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
                    return [
                      `${format(value[0] as number)} – ${format(value[1] as number)}`,
                      `${name} (min–max)`,
                    ];
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
                  y={conv(th.value) ?? th.value}
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
                <ReferenceArea
                  x1={drag.start}
                  x2={drag.end}
                  fill="#79b8ff"
                  fillOpacity={0.2}
                  stroke="#79b8ff"
                />
              ) : null}
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
      <SummaryTable
        series={series}
        intervalMs={intervalMs}
        format={(v) => format(conv(v))}
        bands={bands}
        thresholds={thresholds}
        formatThreshold={(v) => format(conv(v))}
      />
    </figure>
  );
}

/** The chart's content as text for screen readers: latest, lowest, highest, gaps and shaded stretches. */
function SummaryTable({
  series,
  intervalMs,
  format,
  bands,
  thresholds,
  formatThreshold,
}: {
  series: ChartSeries[];
  intervalMs: number;
  format: (v: number | null) => string;
  bands: ChartBand[];
  thresholds: ChartThreshold[];
  formatThreshold: (v: number) => string;
}) {
  return (
    <div className="visually-hidden">
      {thresholds.map((t) => (
        <p key={t.label}>
          {t.label}: {formatThreshold(t.value)}
        </p>
      ))}
      <table>
        <caption>Summary per series</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Latest</th>
            <th scope="col">Latest at</th>
            <th scope="col">Lowest</th>
            <th scope="col">Highest</th>
            <th scope="col">Gaps</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => {
            const st = seriesStats(s, intervalMs);
            return (
              <tr key={s.id}>
                <th scope="row">{s.label}</th>
                <td>{format(st.latest)}</td>
                <td>{st.latestAt === null ? "–" : FULL_TIME.format(st.latestAt)}</td>
                <td>{format(st.min)}</td>
                <td>{format(st.max)}</td>
                <td>{st.gaps}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {bands.length > 0 ? (
        <ul>
          {bands.map((b) => (
            <li key={`${b.from}-${b.label}`}>
              {b.label}: {FULL_TIME.format(b.from)} to {FULL_TIME.format(b.to)}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
