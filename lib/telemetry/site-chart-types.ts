// Response shapes of the site chart API (GET /api/telemetry/site/:id), shared
// with the browser: types and browser-safe constants only. One request per
// view on screen (temperature, connectivity, turbine), never one for all.
import type { LinkRun, LinkState } from "./link-state";
import type { NodeMatrix, SpreadPoint } from "./matrix";
import type { TelemetryRange } from "./ranges";
import type { TelemetrySeries, TelemetryUnavailable } from "./types";

export type { LinkRun, LinkState, NodeMatrix, SpreadPoint };

export const SITE_CHART_VIEWS = ["temperature", "connectivity", "turbine", "latest"] as const;
export type SiteChartView = (typeof SITE_CHART_VIEWS)[number];

/**
 * Up to this many nodes a site's temperature is drawn as one line each; above
 * it as a heatmap (node × time) with the farm's spread, and lines only for the
 * nodes the operator picks.
 */
export const LINE_CHART_MAX_NODES = 6;
/** Nodes one request may ask lines for. */
export const MAX_LINE_HOSTS = 12;

/** A temperature limit and where it comes from (fleet default, site, node override…). */
export interface EffectiveThreshold {
  celsius: number;
  source: string;
}

interface SiteChartBase {
  siteId: string;
  slug: string;
  name: string;
  range: TelemetryRange;
  from: number;
  to: number;
  intervalMs: number;
  /** the viewer's display preference; values are always °C on the wire */
  preferredUnit: "C" | "F";
  dataSource: { id: string; name: string } | null;
  /** null when the data answered; otherwise why not */
  unavailable: TelemetryUnavailable | null;
  /** nodes with data in the range */
  nodeCount: number;
  /** values sent (cells + line points): the cost of the answer */
  pointCount: number;
  queryMs: number;
  /** hosts whose clock is wrong (+ ahead, − behind, ms): their misdated points are not drawn as current */
  clocks: { host: string; skewMs: number }[];
}

/** Lines for all nodes (few of them) or only for the ones asked for. */
export type LineSelection = "all" | "selected";

export interface TemperatureChartData extends SiteChartBase {
  view: "temperature";
  /** the site's limit (lines and colour scale) */
  threshold: EffectiveThreshold;
  /** nodes whose limit differs from the site's */
  hostThresholds: Record<string, EffectiveThreshold>;
  /** hottest reading per node and bucket */
  matrix: NodeMatrix;
  /** across nodes per bucket: lowest, median and highest of the matrix cells */
  spread: SpreadPoint[];
  lines: TelemetrySeries[];
  lineSelection: LineSelection;
}

export interface LinkTimeline {
  host: string;
  runs: LinkRun[];
  medianRttMs: number | null;
  share: Record<LinkState, number>;
}

export interface ConnectivityChartData extends SiteChartBase {
  view: "connectivity";
  timeline: LinkTimeline[];
  /** round-trip lines, only when asked for (rtt=1) */
  rtt: TelemetrySeries[] | null;
}

export interface TurbineField {
  field: string;
  label: string;
  unit: string;
}

export interface TurbineChartData extends SiteChartBase {
  view: "turbine";
  /** every metric the mapping offers (the picker) */
  fields: TurbineField[];
  /** the one on screen; null when the site has no turbine data */
  field: TurbineField | null;
  /** mean per node and bucket */
  matrix: NodeMatrix;
  spread: SpreadPoint[];
  lines: TelemetrySeries[];
  lineSelection: LineSelection;
}

/** The health grid's key metric: the latest value per node of the mapping's first turbine field. */
export interface LatestMetricData {
  view: "latest";
  siteId: string;
  slug: string;
  field: TurbineField | null;
  /** null when the data answered; otherwise why not */
  unavailable: TelemetryUnavailable | null;
  hosts: { host: string; cluster: string | null; clusterId: string | null; value: number; at: number }[];
  /** how far back "latest" looks */
  windowMs: number;
  queryMs: number;
}

export type SiteChartData = TemperatureChartData | ConnectivityChartData | TurbineChartData;
export type SiteViewData = SiteChartData | LatestMetricData;
