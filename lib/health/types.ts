// The shapes the collector stores and the health model reads. The collector
// (lib/collector) writes ClusterSummary (small, for fleet-wide roll-ups) and
// ClusterSnapshot (full, for site and cluster pages) after each successful
// poll; the health model (lib/health) turns them into states and sentences.
import type { ReachErrorClass } from "@/lib/kube/error-class";
import type { PollOutcome } from "./link";

export interface NodeConditionSnapshot {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string | null;
  message: string | null;
  lastHeartbeatTime: string | null;
  lastTransitionTime: string | null;
}

export interface NodeSnapshot {
  name: string;
  roles: string[];
  arch: string | null;
  kubeletVersion: string | null;
  osImage: string | null;
  containerRuntime: string | null;
  kernelVersion: string | null;
  internalIp: string | null;
  /** millicores */
  cpuCapacity: number | null;
  /** bytes */
  memoryCapacity: number | null;
  /** millicores, from metrics.k8s.io when available */
  cpuUsage: number | null;
  /** bytes, from metrics.k8s.io when available */
  memoryUsage: number | null;
  gpuCapacity: number | null;
  isUnschedulable: boolean;
  taints: { key: string; effect: string }[];
  conditions: NodeConditionSnapshot[];
  /** kube-node-lease renewTime, the cheap heartbeat */
  leaseRenewTime: string | null;
}

export interface WorkloadProblem {
  kind: "Deployment" | "DaemonSet" | "StatefulSet" | "Pod";
  namespace: string;
  name: string;
  /** e.g. "0/3 available", "ImagePullBackOff", "ProgressDeadlineExceeded" */
  problem: string;
  since: string | null;
}

export interface WarningEvent {
  namespace: string;
  involvedObject: string;
  reason: string;
  message: string;
  count: number;
  lastTimestamp: string | null;
}

/** Full picture of one cluster at `observedAt` (last successful poll). */
export interface ClusterSnapshot {
  observedAt: string;
  gitVersion: string | null;
  platform: string | null;
  nodes: NodeSnapshot[];
  workloadProblems: WorkloadProblem[];
  warningEvents: WarningEvent[];
  /** parts of the poll that failed while the cluster answered (e.g. metrics-server down) */
  partialErrors: string[];
}

/** Compact digest of a snapshot: what fleet-wide roll-ups need, nothing more. */
export interface ClusterSummary {
  observedAt: string;
  nodeCount: number;
  readyCount: number;
  /** nodes whose Ready condition is not True, with reason and since (transition time) */
  notReady: { name: string; status: "False" | "Unknown"; reason: string | null; since: string | null }[];
  cordoned: string[];
  /** e.g. "store-1-n2: MemoryPressure" */
  pressure: string[];
  workloadProblemCount: number;
  /** first few, for the one-line reason */
  workloadProblems: { name: string; problem: string }[];
  warningEventCount: number;
}

/** What the collector knows about reaching one cluster. */
export interface ClusterReachRecord {
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastErrorClass: ReachErrorClass | null;
  lastErrorMessage: string | null;
  consecutiveFailures: number;
  /** outcomes of the latest polls, oldest first (lib/health/link.ts); absent or [] when not known */
  recentPolls?: readonly PollOutcome[];
  /** when the current intermittent run began; null while the link is steady */
  flapSince?: string | null;
  /** when the link turned slow; null while it is not */
  slowSince?: string | null;
}

/** Everything the health model needs about a cluster. */
export interface ClusterHealthInput {
  id: string;
  name: string;
  reach: ClusterReachRecord;
  summary: ClusterSummary | null;
  /** client certificate expiry from the stored kubeconfig */
  certNotAfter: string | null;
}

export interface OfflineWindowInput {
  start: string;
  end: string;
  timeZone: string;
}

export interface SiteHealthInput {
  id: string;
  slug: string;
  name: string;
  kind: string;
  contactMode: "continuous" | "intermittent";
  expectedOfflineWindows: OfflineWindowInput[];
  maxSilenceMinutes: number | null;
  clusters: ClusterHealthInput[];
  /** absent: telemetry not known (the axis stays "unknown") */
  telemetry?: SiteTelemetryInput;
}

/** What telemetry (InfluxDB) says about one host of a site, joined by the telemetry reader. */
export interface TelemetryHostInput {
  /** node name as the `host` tag carries it */
  host: string;
  /** the registered cluster the host belongs to, when the join found one */
  clusterId: string | null;
  /** newest point of any mapped measurement within the lookback; null when none */
  lastPointAt: string | null;
  /** latest board temperature (°C) and its time; null when none in the recent window */
  tempC: number | null;
  tempAt: string | null;
  /** latest connectivity sample: its time and packet loss (100 = every probe lost) */
  pingAt: string | null;
  lossPct: number | null;
  /** this host's effective "hot" level when the chain sets one below the site (cluster/node); else the site's */
  warnCelsius?: number;
  /**
   * Set when the host's points carry a wrong clock (+ ahead, − behind, ms): its
   * implausible points were ignored, so it is neither silent nor hot, it is misdated.
   */
  clockSkewMs?: number | null;
}

/**
 * Optional telemetry of a site. Absent when telemetry is unavailable (no data
 * source, InfluxDB down): the telemetry axis then stays "unknown" and the
 * roll-up carries the reason once for the whole fleet.
 */
export interface SiteTelemetryInput {
  /** "hot" above this (°C): the site's effective level of the threshold chain (lib/thresholds/chain.ts) */
  warnCelsius: number;
  /** the site names a data source itself, so silence over the whole lookback is a fault, not "no Telegraf here" */
  isExpected: boolean;
  /** how far back lastPointAt was looked for */
  lookbackMs: number;
  hosts: TelemetryHostInput[];
}
