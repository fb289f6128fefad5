// How current is what we know about one cluster? Pure: the caller passes `now`,
// so a page, an API and a test all agree on the same instant.
import type { ReachErrorClass } from "@/lib/kube/error-class";
import { backoffGapMs, DEFAULT_MAX_BACKOFF_MS } from "./backoff";
import { formatAgo, formatDuration, toIso, toMs } from "./format";
import { assessLink, failedPollsText, formatLatency, type LinkAssessment } from "./link";
import {
  type ClusterFreshness,
  COLLECTOR_STOPPED_AFTER_GAPS,
  type CollectorLag,
  FRESH_GRACE_MS,
  type LinkHealth,
  type LinkState,
  UNREACHABLE_AFTER_INTERVALS,
} from "./model";
import type { ClusterReachRecord } from "./types";

export interface FreshnessOptions {
  /** the collector's backoff cap; failing clusters are retried at most this far apart */
  maxBackoffMs?: number;
}

/** The reason an operator reads, by error class (the collector's message stays in errorDetail). */
export const REACH_ERROR_PHRASE: Readonly<Record<ReachErrorClass, string>> = {
  refused: "connection refused",
  timeout: "connection timed out",
  tls: "TLS handshake failed",
  auth: "credentials rejected",
  http: "API server answered with an error",
  dns: "host name does not resolve",
  reset: "connection reset",
  policy: "blocked by Outpost's network policy",
  unknown: "network error",
};

export function freshLimitMs(intervalMs: number): number {
  return 2 * intervalMs + FRESH_GRACE_MS;
}

/** Never below the fresh limit, so a very short interval cannot skip "stale". */
export function unreachableAfterMs(intervalMs: number): number {
  return Math.max(UNREACHABLE_AFTER_INTERVALS * intervalMs, freshLimitMs(intervalMs));
}

/**
 * Numbers only: the site roll-up assesses ~30,000 clusters per pass and needs
 * sentences for the few that are not fine, so text is built on demand.
 */
export interface ReachAssessment {
  state: ClusterFreshness["state"];
  ageMs: number | null;
  sinceMs: number | null;
  lastSuccessMs: number | null;
  /** set when the latest attempt failed */
  errorClass: ReachErrorClass | null;
  collector: CollectorLag;
  failures: number;
  /** link quality while the cluster answers (fresh or stale); "steady" when dark or unknown */
  linkState: LinkState;
  link: LinkAssessment;
  /** when the slow or intermittent stretch began, as the collector recorded it */
  linkSinceMs: number | null;
  /** the latest attempt of any outcome; the collector-lag thresholds count from it */
  attemptMs: number | null;
}

export function assessReach(
  reach: ClusterReachRecord,
  now: number,
  intervalMs: number,
  options?: FreshnessOptions,
): ReachAssessment {
  const maxBackoffMs = options?.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const successMs = toMs(reach.lastSuccessAt);
  const failures = Math.max(reach.consecutiveFailures, 0);
  // Healthy clusters carry no error timestamp worth parsing.
  const errorMs = reach.lastErrorAt === null ? null : toMs(reach.lastErrorAt);
  // The collector writes lastAttemptAt with every result, but an older row may lack it: any result is an attempt.
  let attemptMs = reach.lastAttemptAt === reach.lastSuccessAt ? successMs : toMs(reach.lastAttemptAt);
  if (successMs !== null && (attemptMs === null || successMs > attemptMs)) attemptMs = successMs;
  if (errorMs !== null && (attemptMs === null || errorMs > attemptMs)) attemptMs = errorMs;
  const isLastAttemptFailed =
    failures > 0 || (errorMs !== null && (successMs === null || errorMs > successMs));
  const errorClass: ReachErrorClass | null = isLastAttemptFailed ? (reach.lastErrorClass ?? "unknown") : null;

  let collector: CollectorLag = "on-time";
  if (attemptMs !== null) {
    const gap = backoffGapMs(intervalMs, failures, maxBackoffMs);
    const attemptAge = now - attemptMs;
    const behindAfter = 2 * gap + FRESH_GRACE_MS;
    if (attemptAge > Math.max(COLLECTOR_STOPPED_AFTER_GAPS * gap, behindAfter)) collector = "stopped";
    else if (attemptAge > behindAfter) collector = "behind";
  }

  if (successMs === null) {
    if (!isLastAttemptFailed) {
      return {
        state: "never",
        ageMs: null,
        sinceMs: null,
        lastSuccessMs: null,
        errorClass,
        collector,
        failures,
        ...DARK_LINK,
        attemptMs,
      };
    }
    const sinceMs =
      errorMs === null ? null : estimateFirstFailureMs(errorMs, failures, intervalMs, maxBackoffMs);
    return {
      state: "unreachable",
      ageMs: null,
      sinceMs,
      lastSuccessMs: null,
      errorClass,
      collector,
      failures,
      ...DARK_LINK,
      attemptMs,
    };
  }
  // Clock skew between writer and reader must not produce negative ages.
  const ageMs = now > successMs ? now - successMs : 0;
  let state: ClusterFreshness["state"];
  if (ageMs <= freshLimitMs(intervalMs)) state = "fresh";
  // A failure is only evidence against the site while the collector keeps trying.
  else if (isLastAttemptFailed && collector !== "stopped" && ageMs >= unreachableAfterMs(intervalMs))
    state = "unreachable";
  else state = "stale";
  // A dark cluster's link quality is moot: unreachable says it all.
  const link = state === "unreachable" || !reach.recentPolls ? STEADY_LINK : assessLink(reach.recentPolls);
  const linkState: LinkState = link.isIntermittent ? "intermittent" : link.isSlow ? "slow" : "steady";
  const linkSince =
    linkState === "intermittent" ? reach.flapSince : linkState === "slow" ? reach.slowSince : null;
  return {
    state,
    ageMs,
    sinceMs: state === "fresh" ? null : successMs,
    lastSuccessMs: successMs,
    errorClass,
    collector,
    failures,
    linkState,
    link,
    linkSinceMs: linkSince ? toMs(linkSince) : null,
    attemptMs,
  };
}

const STEADY_LINK = assessLink([]);
const DARK_LINK = { linkState: "steady", link: STEADY_LINK, linkSinceMs: null } as const;

/** "intermittent: 6 of the last 12 polls failed" / "slow link (4.1 s per request)"; "" when steady. */
export function describeLink(a: Pick<ReachAssessment, "linkState" | "link">): string {
  const slow =
    a.link.latencyMs !== null && a.link.isSlow ? `${formatLatency(a.link.latencyMs)} per request` : "";
  if (a.linkState === "intermittent")
    return `intermittent: ${failedPollsText(a.link)}${slow ? `, ${slow}` : ""}`;
  if (a.linkState === "slow") return `slow link (${slow})`;
  return "";
}

/** The cluster's one-line sentence for an assessment. */
export function describeReach(a: ReachAssessment): string {
  const phrase = a.errorClass ? REACH_ERROR_PHRASE[a.errorClass] : "";
  const lagNote = a.collector === "on-time" ? "" : ` (collector ${a.collector})`;
  const lastAttempt = a.errorClass ? `; last attempt: ${phrase}` : "";
  if (a.state === "never") return "Not contacted yet";
  if (a.ageMs === null) {
    const attempts = a.failures > 1 ? ` after ${a.failures} attempts` : "";
    return `Never reached${attempts}: ${phrase}${lagNote}`;
  }
  const link = describeLink(a);
  if (link) {
    const lead = link.charAt(0).toUpperCase() + link.slice(1);
    const seen =
      a.state === "fresh" ? `last seen ${formatAgo(a.ageMs)}` : `last update ${formatAgo(a.ageMs)}`;
    return `${lead}; ${seen}${lagNote || lastAttempt}`;
  }
  if (a.state === "fresh") return `Last seen ${formatAgo(a.ageMs)}${lastAttempt}`;
  if (a.state === "unreachable") return `Unreachable for ${formatDuration(a.ageMs)}: ${phrase}${lagNote}`;
  return `Last update ${formatAgo(a.ageMs)}${lagNote || lastAttempt}`;
}

/** Freshness of one cluster: fresh, stale, unreachable or never, with a sentence. */
export function clusterFreshness(
  reach: ClusterReachRecord,
  now: number,
  intervalMs: number,
  options?: FreshnessOptions,
): ClusterFreshness {
  const a = assessReach(reach, now, intervalMs, options);
  return {
    state: a.state,
    ageMs: a.ageMs,
    since: toIso(a.sinceMs),
    lastSeenAt: toIso(a.lastSuccessMs),
    errorClass: a.errorClass,
    errorDetail: a.errorClass ? reach.lastErrorMessage : null,
    collector: a.collector,
    link: linkHealth(a),
    message: describeReach(a),
  };
}

function linkHealth(a: ReachAssessment): LinkHealth {
  return {
    state: a.linkState,
    latencyMs: a.link.latencyMs,
    failures: a.link.failures,
    polls: a.link.polls,
    since: toIso(a.linkSinceMs),
  };
}

/**
 * The record keeps only the latest failure and a count; the collector's
 * backoff schedule lets us walk back to roughly when the failures began.
 */
function estimateFirstFailureMs(
  lastErrorMs: number,
  failures: number,
  intervalMs: number,
  maxBackoffMs: number,
): number {
  let back = 0;
  for (let k = 1; k < failures; k++) {
    const gap = backoffGapMs(intervalMs, k, maxBackoffMs);
    if (gap >= maxBackoffMs) {
      back += gap * (failures - k);
      break;
    }
    back += gap;
  }
  return lastErrorMs - back;
}
