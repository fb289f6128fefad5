// Response shapes of the telemetry and data-source APIs, shared with the
// browser (no server imports: types only).
import type { UnavailableReason } from "@/lib/influx/reasons";
import type { AuthKind, JoinMode, Mapping } from "./schemas";

export type { UnavailableReason };

/** "telemetry unavailable (reason)": what every reader answers instead of throwing. */
export interface TelemetryUnavailable {
  reason: UnavailableReason;
  message: string;
}

/**
 * Telemetry state of a roll-up: fine, or why it is not known. `asOf` is when
 * the stored answer arrived (the telemetry tick), so every view can show its age.
 */
export type TelemetryStatus =
  | { state: "ok"; dataSources: number; queryMs: number; asOf: string | null; ageMs: number | null }
  | ({ state: "unavailable"; asOf?: string | null } & TelemetryUnavailable);

/** One bucket. `mean` null marks a gap the chart must not bridge. */
export interface SeriesPoint {
  t: number;
  min?: number | null;
  mean: number | null;
  max?: number | null;
}

/** The chart contract: one line (with an optional min–max band) per series. */
export interface TelemetrySeries {
  id: string;
  label: string;
  unit: string;
  points: SeriesPoint[];
}

export interface HotNode {
  host: string;
  cluster: string | null;
  site: { id: string; slug: string; name: string } | null;
  /** the site tag as InfluxDB has it (shown when no registered site matches) */
  siteTag: string | null;
  tempC: number;
  at: string;
  thresholdCelsius: number;
  /** where the threshold comes from, as the fleet list says it ("set on site Berlin") */
  thresholdSource: string;
  isHot: boolean;
}

export interface HottestNodes {
  generatedAt: string;
  /** when the telemetry tick stored the readings listed (the oldest source's answer) */
  asOf: string | null;
  preferredUnit: "C" | "F";
  unavailable: TelemetryUnavailable | null;
  items: HotNode[];
}

export interface DataSourceView {
  id: string;
  name: string;
  url: string;
  database: string;
  retentionPolicy: string | null;
  authKind: AuthKind;
  username: string | null;
  /** the password or token itself never leaves the server */
  hasSecret: boolean;
  timeoutMs: number;
  isDefault: boolean;
  mapping: Mapping;
  siteCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface MappingPreview {
  join: JoinMode;
  windowMs: number;
  temperature: {
    measurement: string;
    hosts: number;
    sites: number;
    clusters: number;
    latestAt: string | null;
  };
  connectivity: { measurement: string; hosts: number; latestAt: string | null } | null;
  turbine: { measurement: string; hosts: number; latestAt: string | null } | null;
  /** a few tag values as found, so a wrong tag name shows at once */
  samples: { sites: string[]; clusters: string[]; hosts: string[] };
  /** site tag values that match a registered site (by slug or name, per the mapping) */
  matchedSites: number;
  warnings: string[];
}

export interface DataSourceTestResult {
  isOk: boolean;
  /** reachability first: nothing else is tried when /ping fails */
  ping: { isOk: true; version: string | null; latencyMs: number } | ({ isOk: false } & TelemetryUnavailable);
  databaseExists: boolean | null;
  databases: string[];
  measurements: string[];
  preview: MappingPreview | null;
  problem: TelemetryUnavailable | null;
}
