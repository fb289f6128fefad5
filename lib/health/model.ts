// Output shapes and thresholds of the health model. Inputs live in ./types.ts
// (shared with the collector); everything here is what the model hands to
// pages, APIs and sorting.
import type { ReachErrorClass } from "@/lib/kube/error-class";

// ---------------------------------------------------------------------------
// Thresholds. Named once so the UI can explain them and tests can hit edges.

/** Portainer's rule: up while now − last check-in ≤ 2 × interval + 20 s. */
export const FRESH_GRACE_MS = 20_000;
/** Open Cluster Management gives up trusting a lease after 5 missed renewals. */
export const UNREACHABLE_AFTER_INTERVALS = 5;
/** Kubernetes node-monitor-grace-period (v1.32+): a lease older than this is heartbeat loss. */
export const NODE_LEASE_GRACE_MS = 50_000;
/** A collector that has not tried for this many expected gaps has stopped, not fallen behind. */
export const COLLECTOR_STOPPED_AFTER_GAPS = 10;

const DAY_MS = 86_400_000;
/** k3s renews client certs within 90 days of expiry, but only on restart: warn well before. */
export const CERT_WARN_DAYS = 30;
export const CERT_WARN_MS = CERT_WARN_DAYS * DAY_MS;
export const CERT_CRITICAL_MS = 7 * DAY_MS;

/**
 * Telemetry older than this is silent. Telegraf samples every 5–10 s and flushes
 * every 10 s; three minutes tolerates a slow flush without hiding a dead sensor.
 */
export const TELEMETRY_STALE_MS = 3 * 60_000;
/** A host clock reading a year before this is a board that booted without a real-time clock (1970). */
export const PLAUSIBLE_CLOCK_YEAR = 2020;
/** 100 % packet loss: every probe of the sample was lost. */
export const LINK_FAILED_LOSS_PCT = 100;

// ---------------------------------------------------------------------------
// Cluster freshness

export type FreshnessState = "fresh" | "stale" | "unreachable" | "never";

/**
 * Whether the collector itself keeps trying: "behind" and "stopped" are the
 * dashboard's problem and must not be blamed on the site.
 */
export type CollectorLag = "on-time" | "behind" | "stopped";

export interface ClusterFreshness {
  state: FreshnessState;
  /** since the last successful poll; null if never */
  ageMs: number | null;
  /**
   * When the current state began as far as the record tells: the last success
   * for stale/unreachable (dark since last seen), the estimated first failure
   * for a cluster never reached, null for fresh and not-contacted.
   */
  since: string | null;
  lastSeenAt: string | null;
  /** set when the latest attempt failed */
  errorClass: ReachErrorClass | null;
  /** the collector's own words for the failure, for tooltips */
  errorDetail: string | null;
  collector: CollectorLag;
  /** quality of the link while the cluster answers: steady, slow or intermittent */
  link: LinkHealth;
  /** one human sentence */
  message: string;
}

export type LinkState = "steady" | "slow" | "intermittent";

export interface LinkHealth {
  /** "steady" too when the cluster is dark: then the freshness state says it all */
  state: LinkState;
  /** median per-request latency of the latest successful polls (ms) */
  latencyMs: number | null;
  /** failed polls among the latest `polls` */
  failures: number;
  polls: number;
  /** when the current slow or intermittent stretch began, when the collector recorded it */
  since: string | null;
}

// ---------------------------------------------------------------------------
// Nodes and certificates

export type NodeReadiness = "Ready" | "NotReady" | "Unknown";
export type PressureCondition = "MemoryPressure" | "DiskPressure" | "PIDPressure";

export interface NodeHealth {
  name: string;
  readiness: NodeReadiness;
  /** Ready condition reason, or "HeartbeatLost" when only the lease tells */
  reason: string | null;
  /** when the current readiness began (Ready transition time, or the last lease renewal) */
  since: string | null;
  isCordoned: boolean;
  pressures: PressureCondition[];
  /** observation time − lease renewTime; null when the lease was not read */
  leaseAgeMs: number | null;
  isHeartbeatLost: boolean;
}

export type CertState = "none" | "ok" | "warning" | "critical" | "expired";

export interface CertHealth {
  state: CertState;
  /** negative once expired; null without a client certificate */
  remainingMs: number | null;
  /** when the current state began (e.g. notAfter − 30 d for "warning") */
  since: string | null;
  /** "Client certificate expires in 9 days"; null when there is nothing to say */
  sentence: string | null;
}

// ---------------------------------------------------------------------------
// Site roll-up

export type SiteStatus =
  | "unknown"
  | "healthy"
  | "stale"
  | "expected-offline"
  | "degraded"
  | "unreachable"
  | "critical";

/**
 * Each status owns a band [base, base + 9]; a reason's severity sits in the
 * band of the status it implies, so the site's severity is simply the worst
 * reason and finer order within a band (cert critical above cert warning)
 * comes for free.
 */
export const STATUS_SEVERITY: Readonly<Record<SiteStatus, number>> = {
  healthy: 0,
  "expected-offline": 10,
  unknown: 20,
  stale: 30,
  degraded: 40,
  unreachable: 50,
  critical: 60,
};

export const SITE_STATUSES: readonly SiteStatus[] = [
  "critical",
  "unreachable",
  "degraded",
  "stale",
  "unknown",
  "expected-offline",
  "healthy",
];

/** The dashboard cannot reach the site / the site reports a problem / telemetry is broken. */
export type HealthAxis = "reach" | "condition" | "telemetry";

export type ReachAxisStatus =
  | "unknown"
  | "reachable"
  | "slow"
  | "intermittent"
  | "partial"
  | "stale"
  | "unreachable"
  | "expected-offline";
export type ConditionAxisStatus = "unknown" | "ok" | "degraded" | "critical";
/** "unknown" without telemetry input; "stale" = broken pipeline or link down; "hot" = above the site's threshold. */
export type TelemetryAxisStatus = "unknown" | "ok" | "stale" | "hot";

export type HealthReasonCode =
  // reach
  | "no-clusters"
  | "not-contacted"
  | "expected-offline"
  | "site-stale"
  | "clusters-stale"
  | "site-unreachable"
  | "clusters-unreachable"
  | "credentials-rejected"
  | "cert-expired"
  | "cert-expiring"
  | "link-intermittent"
  | "link-slow"
  // condition
  | "all-nodes-not-ready"
  | "nodes-not-ready"
  | "no-nodes"
  | "node-pressure"
  | "workload-problems"
  | "nodes-cordoned"
  // telemetry
  | "telemetry-stale"
  | "telemetry-hot"
  | "telemetry-clock";

export interface HealthReason {
  code: HealthReasonCode;
  axis: HealthAxis;
  severity: number;
  sentence: string;
  since: string | null;
  clusterId?: string;
}

export interface SiteHealthCounts {
  clusters: number;
  clustersFresh: number;
  clustersStale: number;
  clustersUnreachable: number;
  /** nodes in the last-known summaries of every cluster */
  nodes: number;
  /** Ready nodes in clusters whose data is current (fresh or stale, not dark) */
  nodesReady: number;
}

export interface SiteHealth {
  siteId: string;
  slug: string;
  name: string;
  status: SiteStatus;
  /** higher is worse; sort with compareSiteHealth */
  severity: number;
  /** ISO, when the current status began; null when the record cannot tell (e.g. healthy) */
  since: string | null;
  /** most recent successful poll of any of the site's clusters */
  lastSeenAt: string | null;
  headline: string;
  /** worst first */
  reasons: HealthReason[];
  counts: SiteHealthCounts;
  axes: { reach: ReachAxisStatus; condition: ConditionAxisStatus; telemetry: TelemetryAxisStatus };
}

export type FleetCounts = Record<SiteStatus, number> & { total: number };
