"use client";

import { memo, startTransition, useEffect, useId, useMemo, useState, useSyncExternalStore } from "react";
import { svgChart } from "@/components/embed/svg-chart";
import { useElementWidth } from "@/components/hooks/use-element-width";
import { FULL_TIME, formatValue } from "./chart-format";
import {
  applyTransform,
  type ChartBand,
  type ChartPoint,
  type ChartSeries,
  type ChartThreshold,
  SERIES_COLORS,
  seriesStats,
  seriesStyle,
  toRows,
} from "./series";
import type { PlotProps } from "./time-series-plot";

// The one chart of Outpost: a thin wrapper over recharts with a typed series
// contract. The recharts plot (./time-series-plot) loads on demand: the title,
// legend and summary table render at once, the plot where a chart is drawn. Rules it enforces for every caller: a missing bucket is a gap
// (never a line across an outage), min–max bands keep spikes visible, series
// differ by dash pattern as well as colour, and the same numbers exist as text.
// The pure series rules live in ./series (shared with the server-rendered embeds).

export type { ChartBand, ChartPoint, ChartSeries, ChartThreshold };
export { seriesStats, seriesStyle, toRows };

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

type Plot = typeof import("./time-series-plot").default;
let loadedPlot: Plot | null = null;
let plotLoad: Promise<void> | null = null;
const plotListeners = new Set<() => void>();

function loadPlot(): Promise<void> {
  plotLoad ??= import("./time-series-plot").then(
    (m) => {
      loadedPlot = m.default;
      for (const listener of plotListeners) listener();
    },
    () => {
      // A chunk that failed (e.g. the network blinked) is asked for again by the next chart.
      plotLoad = null;
    },
  );
  return plotLoad;
}

/** Starts loading the plot (recharts) before the first chart's data arrives: no request after it. */
export function preloadTimeSeriesPlot(): void {
  void loadPlot();
}

function subscribePlot(listener: () => void): () => void {
  plotListeners.add(listener);
  void loadPlot();
  return () => plotListeners.delete(listener);
}

/** recharts' plot once its chunk has run; null before, and while the server renders or the page hydrates. */
function useLoadedPlot(): Plot | null {
  return useSyncExternalStore(
    subscribePlot,
    () => loadedPlot,
    () => null,
  );
}

/**
 * recharts' plot for a chart that just mounted, one render later: the chart commits with the SVG
 * preview (cheap), and recharts' first render (its share of the task that drew a 24 h site page was
 * ≈ 0.4 s in Chromium) follows in a transition, which React renders in slices between frames, so
 * the lines are on screen with the data instead of after that work. Once shown, the plot stays.
 */
function useDeferredPlot(): Plot | null {
  const plot = useLoadedPlot();
  const [isShown, setShown] = useState(false);
  useEffect(() => {
    if (plot !== null && !isShown) startTransition(() => setShown(true));
  }, [plot, isShown]);
  return isShown ? plot : null;
}

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
  // Measured before the plot's code arrives, so recharts draws at its size on its first render
  // instead of measuring its box in an effect and rendering again.
  const [plotBoxRef, plotWidth] = useElementWidth<HTMLElement>();
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => toRows(series, intervalMs, transform), [series, intervalMs, transform]);
  const format = (v: number | null | undefined) => formatValue(v, digits, unit);
  const hasRange = isRangeShown ?? series.some((s) => s.points.some((p) => p.min != null && p.max != null));
  const isAnimated = rows.length <= ANIMATE_MAX_ROWS;
  const TimeSeriesPlot = useDeferredPlot();
  const isEmpty = rows.length === 0;

  const toggle = (id: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <figure
      ref={plotBoxRef}
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
        // The box already has the plot's height: nothing below moves when the plot arrives.
        <div style={{ width: "100%", height }}>
          {TimeSeriesPlot === null ? (
            plotWidth > 0 ? (
              <PlotPreview
                series={series}
                hidden={hidden}
                unit={unit}
                from={from}
                to={to}
                intervalMs={intervalMs}
                thresholds={thresholds}
                bands={bands}
                width={plotWidth}
                height={height}
                transform={transform}
                digits={digits}
              />
            ) : null
          ) : (
            <TimeSeriesPlot
              initialWidth={plotWidth}
              rows={rows}
              series={series}
              hidden={hidden}
              unit={unit}
              from={from}
              to={to}
              intervalMs={intervalMs}
              thresholds={thresholds}
              bands={bands}
              syncId={syncId}
              height={height}
              hasRange={hasRange}
              isAnimated={isAnimated}
              transform={transform}
              digits={digits}
              onZoom={onZoom}
            />
          )}
        </div>
      )}
      <SummaryTable
        series={series}
        intervalMs={intervalMs}
        format={(v) => format(applyTransform(v, transform))}
        bands={bands}
        thresholds={thresholds}
        formatThreshold={(v) => format(applyTransform(v, transform))}
      />
    </figure>
  );
}

/** The embeds' chart colours, from the same definitions as the plot's. */
const PREVIEW_VARS = Object.fromEntries([
  ...SERIES_COLORS.map((c, i) => [`--s${i}`, c]),
  ["--grid", "#334357"],
  ["--axis", "#b4c0ce"],
  ["--threshold", "#ffcc4d"],
  ["--band-danger", "#ff8a80"],
  ["--band-warn", "#ffcc4d"],
]) as React.CSSProperties;

/**
 * Until recharts' chunk has run (≈ 0.1 MB of script on a busy machine): the same series, bands and
 * limits drawn as plain SVG by the embeds' renderer, so the lines are on screen with the data.
 * Not interactive (no tooltip, zoom or crosshair); recharts' plot replaces it in the same box.
 * memo: the SVG is drawn again only when one of its props changes, not at every render of the chart.
 */
const PlotPreview = memo(function PlotPreview({
  series,
  hidden,
  thresholds,
  transform,
  ...frame
}: PlotProps & {
  /** the box's measured width (px, > 0): the SVG is drawn at this size */
  width: number;
}) {
  // The rest (unit, range, bucket size, bands, width, height, digits) goes to svgChart as it is.
  const markup = svgChart({
    ...frame,
    id: "plot-preview",
    // Hidden series keep their place: colours and dashes go by position, as in the plot.
    series: series.map((s) => ({
      ...s,
      points: hidden.has(s.id)
        ? []
        : s.points.map((p) => ({
            t: p.t,
            mean: applyTransform(p.mean, transform),
            min: applyTransform(p.min, transform),
            max: applyTransform(p.max, transform),
          })),
    })),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    thresholds: thresholds.map((t) => ({ ...t, value: applyTransform(t.value, transform) })),
  }).value;
  return (
    <div
      className="plot-preview"
      data-testid="plot-preview"
      aria-hidden="true"
      style={PREVIEW_VARS}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: svgChart escapes every value it interpolates (components/embed/html.ts); the markup is ours.
      dangerouslySetInnerHTML={{ __html: markup }}
    />
  );
});

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
