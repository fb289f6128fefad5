// The seam between the simulated Kubernetes side of the fleet (lib/simulator/*)
// and the telemetry writer (lib/simulator/telemetry/*). Both sides code against
// this file; change it only with both sides in view.

export type SiteKind = "wind-farm" | "store" | "vehicle" | "factory" | "other";

export interface TelemetryNode {
  /** site slug, e.g. "wf-north-sea-1" */
  site: string;
  siteKind: SiteKind;
  /** cluster name, unique within the site */
  cluster: string;
  /** Kubernetes node name; Telegraf's `host` tag carries it */
  node: string;
  /** turbine nodes also emit turbine metrics */
  isTurbine: boolean;
  /** deterministic per-node randomness (baseline temperature, phase) */
  seed: number;
}

/** Live fault view the telemetry writer consults on every tick. */
export interface TelemetryFaults {
  /** the site's uplink is down: points are buffered on the site and flushed later with original timestamps */
  isUplinkDown(site: string): boolean;
  /** telemetry pipeline broken for this cluster: no points produced at all (the API stays up) */
  isTelemetryBroken(site: string, cluster: string): boolean;
  /** extra °C added to a node's temperature (overheating fault); 0 when none */
  overheatCelsius(site: string, cluster: string, node: string): number;
  /** the node is NotReady / powered down: it produces no telemetry */
  isNodeDown(site: string, cluster: string, node: string): boolean;
  /** the node's board hovers around a level instead of following its profile (temperature-hover fault) */
  hoverCelsius?(site: string, cluster: string, node: string): TemperatureHover | null;
  /** ms the node's clock is off (clock-skew fault): its points are timestamped that far from real time; 0 when none */
  clockOffsetMs?(site: string, cluster: string, node: string): number;
}

/** A temperature swinging around `celsius` by ± `amplitudeC`, one full swing per `periodMs`. */
export interface TemperatureHover {
  celsius: number;
  amplitudeC: number;
  periodMs: number;
  /** the swing starts here, at the center going up */
  startedAtMs: number;
}

export interface TelemetryOptions {
  /** InfluxDB v1 base URL, e.g. http://127.0.0.1:8086 */
  influxUrl: string;
  database: string;
  /** per-node sample period; 5–10 s in the demo, shorter in tests */
  intervalMs: number;
  nodes: TelemetryNode[];
  faults: TelemetryFaults;
  /** injectable clock for tests */
  now?: () => number;
}

export interface TelemetryStats {
  pointsWritten: number;
  pointsBuffered: number;
  writeRequests: number;
  writeErrors: number;
  lastWriteMs: number | null;
}

export interface TelemetryHandle {
  /** write everything produced so far (buffers of sites whose uplink is up included) */
  flush(): Promise<void>;
  stats(): TelemetryStats;
  stop(): Promise<void>;
}
