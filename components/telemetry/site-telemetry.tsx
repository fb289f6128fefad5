"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useCallback, useEffect, useId, useMemo, useRef, useState } from "react";
import { type ChartBand, TimeSeriesChart } from "@/components/charts/time-series-chart";
import { ChartActionsSlot } from "@/components/sites/site-slots";
import { Notice } from "@/components/ui/notice";
import { errorMessage, shouldRetry } from "@/lib/queries/api";
import {
  fetchSiteTelemetry,
  roundWidth,
  type SiteTelemetryParams,
  telemetryKeys,
  telemetryPollMs,
  toUnit,
} from "@/lib/queries/telemetry";
import { TELEMETRY_RANGES, type TelemetryRange } from "@/lib/telemetry/schemas";
import type { SiteTelemetry as SiteTelemetryData } from "@/lib/telemetry/types";

const RANGE_LABELS: Record<TelemetryRange, string> = {
  "15m": "15 min",
  "1h": "1 h",
  "6h": "6 h",
  "24h": "24 h",
  "7d": "7 days",
  custom: "Custom",
};

/** Tracks an element's width so the server can bucket about one point per pixel. */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(1_000);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth || 1_000);
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) setWidth(w);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** datetime-local wants local "YYYY-MM-DDTHH:mm". */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

/**
 * Client container for a site's telemetry: range picker, temperature per node
 * with the site's threshold, connectivity (RTT, loss, link-down bands) and
 * turbine metrics where the site has them. Mounted by the site page.
 */
/** How much of the chart around an alert's time a link from the alert shows, each side. */
const ALERT_CONTEXT_MS = 30 * 60_000;

export function SiteTelemetry({ site: ref }: { site: { id: string; slug: string; name: string } }) {
  const site = ref.slug;
  const uid = useId();
  const [containerRef, rawWidth] = useWidth<HTMLDivElement>();
  const width = roundWidth(rawWidth);
  const [range, setRange] = useState<TelemetryRange>("1h");
  const [custom, setCustom] = useState<{ from: number; to: number } | null>(null);
  const [turbineField, setTurbineField] = useState<string | null>(null);

  const params: SiteTelemetryParams =
    range === "custom" && custom
      ? { range, from: custom.from, to: custom.to, width }
      : { range: range === "custom" ? "1h" : range, width };
  const query = useQuery({
    queryKey: telemetryKeys.site(site, params),
    queryFn: ({ signal }) => fetchSiteTelemetry(site, params, signal),
    refetchInterval: telemetryPollMs(params.range),
    placeholderData: keepPreviousData,
    retry: shouldRetry,
  });

  const zoom = useCallback((from: number, to: number) => {
    setCustom({ from, to });
    setRange("custom");
  }, []);

  // An alert links here with ?at=<ms>: open the charts on the hour around it.
  useEffect(() => {
    const at = Number(new URLSearchParams(window.location.search).get("at"));
    if (!Number.isFinite(at) || at <= 0 || Date.now() - at > 7 * 86_400_000) return;
    zoom(at - ALERT_CONTEXT_MS, Math.min(Date.now(), at + ALERT_CONTEXT_MS));
  }, [zoom]);

  const data = query.data;
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
        {query.isFetching ? (
          <span className="muted" role="status">
            Updating…
          </span>
        ) : null}
      </div>
      {query.isError && !data ? (
        <Notice tone="danger" title="Could not load telemetry" role="alert">
          <p>{errorMessage(query.error)}</p>
        </Notice>
      ) : null}
      {!data && query.isPending ? (
        <div className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Loading telemetry…
        </div>
      ) : null}
      {data ? (
        <TelemetryCharts
          site={ref}
          range={params}
          data={data}
          onZoom={zoom}
          turbineField={turbineField}
          onTurbineField={setTurbineField}
        />
      ) : null}
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

function TelemetryCharts({
  site,
  range,
  data,
  onZoom,
  turbineField,
  onTurbineField,
}: {
  site: { id: string; slug: string; name: string };
  range: SiteTelemetryParams;
  data: SiteTelemetryData;
  onZoom: (from: number, to: number) => void;
  turbineField: string | null;
  onTurbineField: (field: string) => void;
}) {
  const unit = data.preferredUnit;
  const syncId = `site-telemetry-${data.siteId}`;
  const toPreferred = useMemo(() => (unit === "F" ? (c: number) => toUnit(c, "F") : undefined), [unit]);
  const bands: ChartBand[] = useMemo(
    () =>
      data.connectivity.bands.flatMap(({ host, bands: list }) =>
        list.map((b) => ({
          from: b.from,
          to: b.to,
          tone: b.state === "down" ? ("danger" as const) : ("warn" as const),
          label: `${host}: ${b.state === "down" ? "link down" : "probes failing"}`,
        })),
      ),
    [data.connectivity.bands],
  );
  const common = { from: data.from, to: data.to, intervalMs: data.intervalMs, syncId, onZoom };
  const bucket = formatBucket(data.intervalMs);

  if (data.unavailable) {
    return (
      <Notice tone="warn" title={`Telemetry unavailable (${data.unavailable.reason})`} role="status">
        <p>
          {data.unavailable.message}
          {data.dataSource ? ` — data source ${data.dataSource.name}.` : "."} Health from the Kubernetes API
          is unaffected.
        </p>
      </Notice>
    );
  }
  const turbine = data.turbine.find((t) => t.field === turbineField) ?? data.turbine[0];
  const hostLevels = Object.entries(data.hostThresholds);
  const slot = { site, range: range.range, from: range.from, to: range.to };
  return (
    <div className="stack">
      <p className="hint" style={{ margin: 0 }}>
        One point per {bucket}; lines show the mean, shaded bands the lowest and highest reading in each
        bucket. Gaps are periods without data. Drag across a chart to zoom.
      </p>
      <TimeSeriesChart
        {...common}
        title="Board temperature per node"
        actions={<ChartActionsSlot {...slot} chart="temperature" />}
        description={`Warning above ${toUnit(data.threshold.celsius, unit).toFixed(1)} °${unit} (${data.threshold.source})${
          hostLevels.length > 0
            ? `; ${hostLevels.map(([host, t]) => `${host} ${toUnit(t.celsius, unit).toFixed(1)} °${unit} (${t.source})`).join(", ")}`
            : ""
        }.`}
        series={data.temperature}
        unit={`°${unit}`}
        transform={toPreferred}
        thresholds={[
          {
            value: data.thresholdCelsius,
            label: `Warning ${toUnit(data.thresholdCelsius, unit).toFixed(0)} °${unit}`,
          },
          // Nodes with their own level (cluster or node override) get their own line.
          ...[...new Set(hostLevels.map(([, t]) => t.celsius))].map((c) => ({
            value: c,
            label: `${hostLevels
              .filter(([, t]) => t.celsius === c)
              .map(([host]) => host)
              .join(", ")} ${toUnit(c, unit).toFixed(0)} °${unit}`,
          })),
        ]}
        emptyText="No temperature readings in this range"
      />
      {data.connectivity.rtt.length > 0 || bands.length > 0 ? (
        <>
          <TimeSeriesChart
            {...common}
            title="Round-trip time to the hub"
            actions={<ChartActionsSlot {...slot} chart="connectivity" />}
            description="Shaded stretches: every probe lost (link down) or some samples lost."
            series={data.connectivity.rtt}
            unit="ms"
            digits={0}
            bands={bands}
            emptyText="No successful pings in this range"
          />
          <TimeSeriesChart
            {...common}
            title="Packet loss"
            series={data.connectivity.loss}
            unit="%"
            digits={0}
            bands={bands}
            height={180}
          />
        </>
      ) : null}
      {turbine ? (
        <div className="stack">
          <div className="field" style={{ maxWidth: "20rem" }}>
            <label htmlFor={`turbine-metric-${data.siteId}`}>Turbine metric</label>
            <select
              id={`turbine-metric-${data.siteId}`}
              value={turbine.field}
              onChange={(e) => onTurbineField(e.target.value)}
            >
              {data.turbine.map((t) => (
                <option key={t.field} value={t.field}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <TimeSeriesChart
            {...common}
            title={`${turbine.label} per turbine`}
            actions={<ChartActionsSlot {...slot} chart="turbine" field={turbine.field} />}
            series={turbine.series}
            unit={turbine.unit}
          />
        </div>
      ) : null}
      <p className="muted" style={{ fontSize: "0.85rem", margin: 0 }}>
        {data.pointCount.toLocaleString()} points from {data.dataSource?.name ?? "InfluxDB"} in {data.queryMs}{" "}
        ms
      </p>
    </div>
  );
}

function formatBucket(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}
