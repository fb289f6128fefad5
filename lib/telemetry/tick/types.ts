// What one telemetry tick knows about one host of one data source. Times are
// epoch ms. Pure data: the reducer builds it, the store writes it, health, the
// hottest list and the alert evaluator read it.

export interface NodeIdentity {
  /** site / cluster tag values as the points carry them ("" when the mapping has none) */
  siteTag: string;
  clusterTag: string;
  /** the `host` tag (Kubernetes node name) */
  host: string;
}

export interface NodeLatest extends NodeIdentity {
  sourceId: string;
  /** the registered site / cluster the host was joined to */
  siteId: string | null;
  clusterId: string | null;
  /** latest plausible board temperature (hottest sensor) and its point time */
  tempC: number | null;
  tempAt: number | null;
  /** max plausible temperature with point time in (windowFrom, windowTo]; null when none in the window */
  windowMaxC: number | null;
  /** the point time of that max (event time) */
  windowMaxAt: number | null;
  windowFrom: number | null;
  windowTo: number | null;
  /** newest plausible point of any mapped measurement */
  lastPointAt: number | null;
  pingAt: number | null;
  lossPct: number | null;
  rttMs: number | null;
  /** latest plausible value of the key metric (the mapping's first turbine field, e.g. power) and its time */
  keyValue: number | null;
  keyAt: number | null;
  /** how far the host's clock is off (+ ahead, − behind); null while its points are plausible */
  skewMs: number | null;
  /** when the skew evidence last advanced (the host still writes with that clock) */
  skewSeenAt: number | null;
  /** newest implausible (or lagging) point the last probe found, and when it looked */
  probeNewestAt: number | null;
  probeAt: number | null;
  tickAt: number;
}

/** What the fleet views read of a host (health inputs, the hottest list): fewer columns, a cheaper read. */
export type NodeReading = Pick<
  NodeLatest,
  | "sourceId"
  | "siteTag"
  | "clusterTag"
  | "host"
  | "siteId"
  | "clusterId"
  | "tempC"
  | "tempAt"
  | "lastPointAt"
  | "pingAt"
  | "lossPct"
  | "skewMs"
>;

export type TickMode = "raw" | "catch-up";

/** How the tick went for one data source, as stored. */
export interface SourceTickStatus {
  sourceId: string;
  tickSeq: number;
  lastTickAt: number | null;
  lastOkAt: number | null;
  lastErrorAt: number | null;
  lastErrorReason: string | null;
  lastErrorMessage: string | null;
  queryMs: number | null;
  hosts: number;
  windowFrom: number | null;
  windowTo: number | null;
  lastMode: TickMode | null;
}

export function nodeKey(n: NodeIdentity): string {
  return `${n.siteTag}\u001f${n.clusterTag}\u001f${n.host}`;
}
