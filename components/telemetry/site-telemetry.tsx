"use client";

import { type FormEvent, useCallback, useEffect, useId, useLayoutEffect, useMemo, useState } from "react";
import { preloadTimeSeriesPlot } from "@/components/charts/time-series-chart";
import { useElementWidth } from "@/components/hooks/use-element-width";
import { ChartActionsSlot, type ChartSlotProps } from "@/components/sites/site-slots";
import {
  CHART_WIDTH_COOKIE,
  type ChartRange,
  chartWidthFor,
  type PrefetchedChart,
  roundWidth,
} from "@/lib/queries/telemetry";
import { TELEMETRY_RANGES, type TelemetryRange } from "@/lib/telemetry/ranges";
import { ConnectivityPanel } from "./connectivity-panel";
import { TemperaturePanel } from "./temperature-panel";
import { TurbinePanel } from "./turbine-panel";
import { type FirstChart, FirstChartContext } from "./use-site-chart";

const RANGE_LABELS: Record<TelemetryRange, string> = {
  "15m": "15 min",
  "1h": "1 h",
  "6h": "6 h",
  "24h": "24 h",
  "7d": "7 days",
  custom: "Custom",
};

// The plot's code (recharts) is not in the page's first load: start fetching and compiling it as
// soon as this module runs in the browser (when hydration reaches the site page), not after the
// page has hydrated and its effects run. The streamed first view is usually there before it.
if (typeof window !== "undefined") preloadTimeSeriesPlot();

/** ?at= opens this much before and after the moment. */
const AT_MARGIN_MS = 3_600_000;

/** Room the heatmap's node names take beside the plot (px). */
const ROW_LABELS_PX = 140;

/** datetime-local wants local "YYYY-MM-DDTHH:mm". */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * Client container for a site's telemetry: one range picker for every chart,
 * then one panel per view (temperature, connectivity, turbine metrics), each
 * fetching only its own data when it comes on screen. Mounted by the site page.
 */
export function SiteTelemetry({
  site,
  hasTurbines,
  isOperator,
  initialRange = "1h",
  firstChart = null,
}: {
  site: { id: string; slug: string; name: string };
  /** wind farms get the turbine-metric panel */
  hasTurbines: boolean;
  /** passed to the chart slots (who may create embeds) */
  isOperator: boolean;
  /** from the address (?range=), so a reload or a shared link opens the same range */
  initialRange?: ChartRange["range"];
  /** the first chart view, started by the server with the page */
  firstChart?: PrefetchedChart | null;
}) {
  const uid = useId();
  // 0 until measured: charts wait for it rather than asking twice (a guessed width, then the real one).
  const [containerRef, rawWidth] = useElementWidth<HTMLElement>();
  const measured = rawWidth > 0 ? roundWidth(rawWidth - ROW_LABELS_PX) : 0;
  const width = chartWidthFor(measured, firstChart?.params.width ?? null);
  const [range, setRange] = useState<TelemetryRange>(initialRange);
  const [isFirstSettled, setFirstSettled] = useState(false);
  const settleFirst = useCallback(() => setFirstSettled(true), []);
  const first: FirstChart = useMemo(
    () => ({ prefetched: firstChart, isSettled: isFirstSettled, settle: settleFirst }),
    [firstChart, isFirstSettled, settleFirst],
  );

  // Remembered for the next load of any site page: the server then starts the first chart with the
  // page, for this plot's own width.
  useEffect(() => {
    if (measured <= 0) return;
    // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API exists only in secure contexts, and Outpost may be served over plain http on a site's LAN; the value is a number, nothing to escape.
    document.cookie = `${CHART_WIDTH_COOKIE}=${measured}; path=/; max-age=31536000; samesite=lax`;
  }, [measured]);

  // The range is in the address (?range=24h): a reload or a copied link opens the same view.
  useEffect(() => {
    const url = new URL(window.location.href);
    const wanted = range === "custom" || range === "1h" ? null : range;
    if (url.searchParams.get("range") === wanted) return;
    if (wanted) url.searchParams.set("range", wanted);
    else url.searchParams.delete("range");
    window.history.replaceState(window.history.state, "", url);
  }, [range]);
  const [custom, setCustom] = useState<{ from: number; to: number } | null>(null);

  const chartRange: ChartRange =
    range === "custom" && custom
      ? { range, from: custom.from, to: custom.to, width }
      : { range: range === "custom" ? "1h" : range, width };

  // ?at=<epoch ms> (links from alerts): open the charts on the hour around that moment.
  useLayoutEffect(() => {
    const at = Number(new URLSearchParams(window.location.search).get("at"));
    if (!Number.isFinite(at) || at <= 0) return;
    const moment = Math.min(at, Date.now());
    setCustom({ from: moment - AT_MARGIN_MS, to: Math.min(Date.now(), moment + AT_MARGIN_MS) });
    setRange("custom");
  }, []);

  const zoom = useCallback((from: number, to: number) => {
    setCustom({ from, to });
    setRange("custom");
  }, []);
  const slot: Omit<ChartSlotProps, "chart"> = {
    site,
    isOperator,
    range: chartRange.range,
    from: chartRange.from,
    to: chartRange.to,
  };

  return (
    <section aria-labelledby={`${uid}-title`} className="stack" ref={containerRef}>
      <div
        className="toolbar"
        style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "center" }}
      >
        <h2 id={`${uid}-title`} style={{ margin: 0, marginRight: "auto" }}>
          Telemetry
        </h2>
        <RangePicker
          range={range}
          custom={custom}
          onRange={(r) => {
            if (r === "custom" && !custom) {
              const to = Date.now();
              setCustom({ from: to - 3_600_000, to });
            }
            setRange(r);
          }}
          onCustom={(c) => {
            setCustom(c);
            setRange("custom");
          }}
        />
      </div>
      <p className="hint" style={{ margin: 0 }}>
        About one bucket per pixel; lines show the mean, shaded bands the lowest and highest reading in each
        bucket; gaps are periods without data. Drag across a line chart to zoom.
      </p>
      <FirstChartContext value={first}>
        <TemperaturePanel
          site={site.slug}
          range={chartRange}
          onZoom={zoom}
          actions={<ChartActionsSlot {...slot} chart="temperature" />}
        />
        <ConnectivityPanel
          site={site.slug}
          range={chartRange}
          onZoom={zoom}
          actions={<ChartActionsSlot {...slot} chart="connectivity" />}
        />
        {hasTurbines ? (
          <TurbinePanel
            site={site.slug}
            range={chartRange}
            onZoom={zoom}
            actions={(field) => <ChartActionsSlot {...slot} chart="turbine" field={field} />}
          />
        ) : null}
      </FirstChartContext>
    </section>
  );
}

function RangePicker({
  range,
  custom,
  onRange,
  onCustom,
}: {
  range: TelemetryRange;
  custom: { from: number; to: number } | null;
  onRange: (r: TelemetryRange) => void;
  onCustom: (c: { from: number; to: number }) => void;
}) {
  const uid = useId();
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const from = Date.parse(String(form.get("from")));
    const to = Date.parse(String(form.get("to")));
    if (!Number.isFinite(from) || !Number.isFinite(to) || to - from < 60_000) {
      setError("Choose a start before the end (at least 1 minute apart)");
      return;
    }
    setError(null);
    onCustom({ from, to });
  };
  return (
    <>
      <fieldset style={{ border: 0, padding: 0, margin: 0, display: "flex", gap: "0.25rem" }}>
        <legend className="visually-hidden">Time range</legend>
        {TELEMETRY_RANGES.map((r) => (
          <button
            key={r}
            type="button"
            className={`button button--small${r === range ? " button--primary" : ""}`}
            aria-pressed={r === range}
            onClick={() => onRange(r)}
          >
            {RANGE_LABELS[r]}
          </button>
        ))}
      </fieldset>
      {range === "custom" && custom ? (
        <form
          onSubmit={submit}
          aria-label="Custom time range"
          style={{ display: "flex", gap: "0.5rem", alignItems: "end", flexWrap: "wrap" }}
        >
          <div className="field">
            <label htmlFor={`${uid}-from`}>From</label>
            <input
              id={`${uid}-from`}
              name="from"
              type="datetime-local"
              defaultValue={toLocalInput(custom.from)}
              key={`f${custom.from}`}
            />
          </div>
          <div className="field">
            <label htmlFor={`${uid}-to`}>To</label>
            <input
              id={`${uid}-to`}
              name="to"
              type="datetime-local"
              defaultValue={toLocalInput(custom.to)}
              key={`t${custom.to}`}
            />
          </div>
          <button type="submit" className="button button--small">
            Apply
          </button>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </form>
      ) : null}
    </>
  );
}
