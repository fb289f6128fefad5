// Builders for health-model tests: records relative to a fixed `now`, so every
// test reads as "seen 2 h ago, failing with a timeout" rather than timestamps.
import type { ReachErrorClass } from "@/lib/kube/error-class";
import type {
  ClusterHealthInput,
  ClusterReachRecord,
  ClusterSummary,
  NodeSnapshot,
  OfflineWindowInput,
  SiteHealthInput,
} from "./types";

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const INTERVAL = 15 * SECOND;
/** A Wednesday in winter: Europe/Madrid is UTC+1. */
export const NOW = Date.parse("2025-01-15T12:00:00.000Z");

export const iso = (ms: number): string => new Date(ms).toISOString();
export const ago = (ms: number, now = NOW): string => iso(now - ms);

export function reachOk(ageMs: number, now = NOW): ClusterReachRecord {
  return {
    lastAttemptAt: ago(ageMs, now),
    lastSuccessAt: ago(ageMs, now),
    lastErrorAt: null,
    lastErrorClass: null,
    lastErrorMessage: null,
    consecutiveFailures: 0,
  };
}

export interface FailingOptions {
  /** null: never succeeded */
  seenAgoMs: number | null;
  errorClass?: ReachErrorClass;
  failures?: number;
  /** default: a recent attempt, so the collector is on time */
  attemptAgoMs?: number;
  now?: number;
}

export function reachFailing(o: FailingOptions): ClusterReachRecord {
  const now = o.now ?? NOW;
  const attemptAgo = o.attemptAgoMs ?? 5 * SECOND;
  const errorClass = o.errorClass ?? "timeout";
  return {
    lastAttemptAt: ago(attemptAgo, now),
    lastSuccessAt: o.seenAgoMs === null ? null : ago(o.seenAgoMs, now),
    lastErrorAt: ago(attemptAgo, now),
    lastErrorClass: errorClass,
    lastErrorMessage: `collector says ${errorClass}`,
    consecutiveFailures: o.failures ?? 30,
  };
}

export const notContacted = (): ClusterReachRecord => ({
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastErrorAt: null,
  lastErrorClass: null,
  lastErrorMessage: null,
  consecutiveFailures: 0,
});

export interface NodeSpec {
  name: string;
  isReady?: boolean;
  status?: "False" | "Unknown";
  reason?: string;
  /** how long ago the node turned NotReady */
  downForMs?: number;
}

export function summaryOf(nodes: NodeSpec[], extra: Partial<ClusterSummary> = {}, now = NOW): ClusterSummary {
  const notReady = nodes
    .filter((n) => n.isReady === false)
    .map((n) => ({
      name: n.name,
      status: n.status ?? ("False" as const),
      reason: n.reason ?? "KubeletNotReady",
      since: n.downForMs === undefined ? null : ago(n.downForMs, now),
    }));
  return {
    observedAt: iso(now),
    nodeCount: nodes.length,
    readyCount: nodes.length - notReady.length,
    notReady,
    cordoned: [],
    pressure: [],
    workloadProblemCount: 0,
    workloadProblems: [],
    warningEventCount: 0,
    ...extra,
  };
}

export const readyNodes = (prefix: string, count: number): NodeSpec[] =>
  Array.from({ length: count }, (_, i) => ({ name: `${prefix}-n${i + 1}` }));

export function cluster(
  id: string,
  reach: ClusterReachRecord,
  summary: ClusterSummary | null,
  certNotAfter: string | null = null,
): ClusterHealthInput {
  return { id, name: id, reach, summary, certNotAfter };
}

export function site(
  id: string,
  clusters: ClusterHealthInput[],
  extra: Partial<Omit<SiteHealthInput, "clusters">> = {},
): SiteHealthInput {
  return {
    id,
    slug: id,
    name: id,
    kind: "store",
    contactMode: "continuous",
    expectedOfflineWindows: [],
    maxSilenceMinutes: null,
    clusters,
    ...extra,
  };
}

export const NIGHT_MADRID: OfflineWindowInput = { start: "22:00", end: "06:00", timeZone: "Europe/Madrid" };

export function nodeSnapshot(name: string, o: Partial<NodeSnapshot> = {}): NodeSnapshot {
  return {
    name,
    roles: [],
    arch: "arm64",
    kubeletVersion: "v1.31.4+k3s1",
    osImage: null,
    containerRuntime: null,
    kernelVersion: null,
    internalIp: null,
    cpuCapacity: null,
    memoryCapacity: null,
    cpuUsage: null,
    memoryUsage: null,
    gpuCapacity: null,
    isUnschedulable: false,
    taints: [],
    conditions: [],
    leaseRenewTime: null,
    ...o,
  };
}

/** A record with a poll history: "o" = 40 ms, "s" = 4.1 s per request, "x" = failed; oldest first. */
export function withPolls(
  reach: ClusterReachRecord,
  pattern: string,
  since: { flapSince?: string | null; slowSince?: string | null } = {},
): ClusterReachRecord {
  const recentPolls = [...pattern.replaceAll(" ", "")].map((c) =>
    c === "x" ? null : c === "s" ? 4_100 : 40,
  );
  return { ...reach, recentPolls, flapSince: since.flapSince ?? null, slowSince: since.slowSince ?? null };
}
