import type { TelemetryRange } from "@/lib/telemetry/ranges";
import type {
  LatestMetricData,
  SiteChartData,
  SiteChartView,
  SiteViewData,
} from "@/lib/telemetry/site-chart-types";
import type { HottestNodes } from "@/lib/telemetry/types";
import { apiFetch } from "./api";

export type { HottestNodes, LatestMetricData, SiteChartData, SiteChartView, TelemetryRange };

// Telemetry charts poll gently: the server caches identical queries for 5 s
// and aligns relative ranges to bucket edges, so polling faster than a bucket
// fills mostly re-reads the same answer.

/** Short ranges move visibly every few seconds (InfluxDB answers are cached 5 s on the server). */
export const TELEMETRY_POLL_SHORT_MS = 10_000;
/** The health grid's latest key metric. */
export const LATEST_METRIC_POLL_MS = 10_000;
/** 6 h and longer: a new bucket every minute or more. */
export const TELEMETRY_POLL_LONG_MS = 60_000;
/** The control center's hottest list. */
export const HOTTEST_POLL_MS = 15_000;
export const HOTTEST_DEFAULT_LIMIT = 10;

export function telemetryPollMs(range: TelemetryRange): number | false {
  if (range === "custom") return false;
  return range === "15m" || range === "1h" ? TELEMETRY_POLL_SHORT_MS : TELEMETRY_POLL_LONG_MS;
}

/** The time range on screen, shared by every chart of a site page. */
export interface ChartRange {
  range: TelemetryRange;
  /** epoch ms; only for range "custom" */
  from?: number;
  to?: number;
  /** plot width in px, rounded so a resize by a few pixels does not refetch */
  width: number;
}

/** One view of a site's charts: what is on screen, nothing else. */
export interface SiteChartParams extends ChartRange {
  view: SiteChartView;
  /** nodes to draw lines for (sorted, so the key does not depend on click order) */
  hosts?: readonly string[];
  /** turbine metric */
  field?: string;
  /** connectivity: round-trip lines too */
  rtt?: boolean;
}

/**
 * The site page remembers its plot width (already rounded) in this cookie, so the server can start
 * the first chart view with the page, for the same query key the browser will use.
 */
export const CHART_WIDTH_COOKIE = "outpost-chart-width";

/**
 * The plot width the server assumes on a first visit (no cookie yet). The site page is at most
 * 1,200 px wide (.page, padding included), so from a window of about 1,150 px on the telemetry
 * section is 1,090–1,160 px and the plot beside the 140 px of node names rounds to exactly this:
 * the streamed view has the browser's own query key. A narrower window asks once for its width.
 */
export const DEFAULT_CHART_WIDTH = 1_000;

/** How far (share of the plot's own width) the streamed view's width may be off and still be used. */
export const STREAMED_WIDTH_TOLERANCE = 0.2;

/**
 * The width the charts ask for: the plot's own (rounded), or the streamed first view's while the
 * plot is within STREAMED_WIDTH_TOLERANCE of it (at most ~1.2 buckets per pixel), so a window a
 * little narrower or wider than the default does not throw the streamed view away and ask again.
 */
export function chartWidthFor(measured: number, streamedWidth: number | null): number {
  if (measured <= 0 || streamedWidth === null) return measured;
  return Math.abs(streamedWidth - measured) <= measured * STREAMED_WIDTH_TOLERANCE ? streamedWidth : measured;
}

/** A remembered plot width, or null when it is not one roundWidth could have produced. */
export function parseChartWidth(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n === roundWidth(n) ? n : null;
}

/** The first view of a site page, when nothing is selected yet: what the server prefetches. */
export function firstChartParams(range: ChartRange["range"], width: number): SiteChartParams {
  return { range, width, view: "temperature", hosts: [] };
}

/** The first chart view started by the server with the page; null if it could not be read there. */
export interface PrefetchedChart {
  params: SiteChartParams;
  data: Promise<SiteChartData | null>;
}

/** Width buckets of 100 px: one cache entry per chart size class, not per pixel. */
export function roundWidth(px: number): number {
  return Math.min(4_000, Math.max(100, Math.round(px / 100) * 100));
}

export const telemetryKeys = {
  all: ["telemetry"] as const,
  sites: () => [...telemetryKeys.all, "site"] as const,
  site: (idOrSlug: string) => [...telemetryKeys.sites(), idOrSlug] as const,
  siteChart: (idOrSlug: string, p: SiteChartParams) =>
    [
      ...telemetryKeys.site(idOrSlug),
      p.view,
      p.range,
      p.from ?? null,
      p.to ?? null,
      p.width,
      (p.hosts ?? []).join(","),
      p.field ?? null,
      p.rtt ?? false,
    ] as const,
  siteLatest: (idOrSlug: string) => [...telemetryKeys.site(idOrSlug), "latest"] as const,
  hottest: (limit: number) => [...telemetryKeys.all, "hottest", limit] as const,
};

/** The health grid's key metric per node (a turbine's power): latest values, polled with the grid. */
export function fetchLatestMetric(idOrSlug: string, signal?: AbortSignal): Promise<LatestMetricData> {
  return apiFetch<LatestMetricData>(`/api/telemetry/site/${encodeURIComponent(idOrSlug)}?view=latest`, {
    signal,
  });
}

export function siteChartQuery(p: SiteChartParams): URLSearchParams {
  const params = new URLSearchParams({ view: p.view, range: p.range, width: String(p.width) });
  if (p.range === "custom" && p.from !== undefined && p.to !== undefined) {
    params.set("from", String(Math.round(p.from)));
    params.set("to", String(Math.round(p.to)));
  }
  if (p.hosts && p.hosts.length > 0) params.set("hosts", p.hosts.join(","));
  if (p.field) params.set("field", p.field);
  if (p.rtt) params.set("rtt", "1");
  return params;
}

export function fetchSiteChart<T extends SiteViewData = SiteChartData>(
  idOrSlug: string,
  p: SiteChartParams,
  signal?: AbortSignal,
): Promise<T> {
  return apiFetch<T>(`/api/telemetry/site/${encodeURIComponent(idOrSlug)}?${siteChartQuery(p)}`, { signal });
}

export function fetchHottest(limit: number, signal?: AbortSignal): Promise<HottestNodes> {
  return apiFetch<HottestNodes>(`/api/telemetry/fleet/hottest?limit=${limit}`, { signal });
}

/** Values are °C on the wire; the viewer may prefer °F. */
export function toUnit(celsius: number, unit: "C" | "F"): number {
  return unit === "F" ? (celsius * 9) / 5 + 32 : celsius;
}

export function formatTemperature(celsius: number, unit: "C" | "F"): string {
  return `${toUnit(celsius, unit).toFixed(1)} °${unit}`;
}
