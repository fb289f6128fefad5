// Random health-model inputs for property tests: sites whose clusters, nodes,
// certificates, offline windows and telemetry sit near every threshold the
// model has, so "same state until nextStateChangeAt" and "summary = roll-up"
// are tested where they could break. Test bed only.
import { freshLimitMs, unreachableAfterMs } from "@/lib/health/freshness";
import { assessLink, POLL_HISTORY, type PollOutcome } from "@/lib/health/link";
import { CERT_CRITICAL_MS, CERT_WARN_MS, TELEMETRY_STALE_MS } from "@/lib/health/model";
import type {
  ClusterHealthInput,
  ClusterReachRecord,
  ClusterSummary,
  SiteHealthInput,
  SiteTelemetryInput,
  TelemetryHostInput,
} from "@/lib/health/types";
import type { ReachErrorClass } from "@/lib/kube/error-class";
import type { Rng } from "@/lib/simulator/prng";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ERROR_CLASSES: ReachErrorClass[] = [
  "refused",
  "timeout",
  "tls",
  "auth",
  "http",
  "dns",
  "reset",
  "unknown",
];
const ZONES = ["UTC", "Europe/Madrid", "America/New_York", "Asia/Kolkata"];
const KINDS = ["store", "wind-farm", "vehicle", "factory", "other"] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** An age near one of the model's edges, or anywhere. */
function edgyAge(rng: Rng, edges: number[]): number {
  if (rng.chance(0.6)) {
    const edge = rng.pick(edges);
    return Math.max(0, edge + rng.int(-3 * SECOND, 3 * SECOND));
  }
  return rng.pick([rng.int(0, 30 * SECOND), rng.int(0, 2 * HOUR), rng.int(0, 10 * DAY)]);
}

/** Latest poll outcomes: steady, slow (seconds per request), flapping, or a flap ending in an outage. */
export function randomPolls(rng: Rng): PollOutcome[] {
  const shape = rng.int(0, 5);
  const fast = () => rng.int(20, 900);
  const slow = () => rng.int(1_800, 6_000);
  const length = rng.int(0, POLL_HISTORY);
  return Array.from({ length }, (_, i): PollOutcome => {
    if (shape <= 1) return fast();
    if (shape === 2) return rng.chance(0.8) ? slow() : fast();
    if (shape === 5 && i >= length - 4) return null;
    return rng.chance(0.35) ? null : shape === 4 ? slow() : fast();
  });
}

/** The link part of a reach record: polls and, when the model would show one, since when. */
export function randomLink(
  rng: Rng,
  now: number,
): Pick<ClusterReachRecord, "recentPolls" | "flapSince" | "slowSince"> {
  const polls = randomPolls(rng);
  const a = assessLink(polls);
  const since = () => iso(now - edgyAge(rng, [MINUTE, HOUR, 0]));
  return {
    recentPolls: polls,
    flapSince: a.hasFlaps || rng.chance(0.05) ? since() : null,
    slowSince: a.isSlow || rng.chance(0.05) ? since() : null,
  };
}

function reach(rng: Rng, now: number, intervalMs: number): ClusterReachRecord {
  return { ...reachTimes(rng, now, intervalMs), ...randomLink(rng, now) };
}

function reachTimes(rng: Rng, now: number, intervalMs: number): ClusterReachRecord {
  const fresh = freshLimitMs(intervalMs);
  const unreachable = unreachableAfterMs(intervalMs);
  const kind = rng.int(0, 9);
  if (kind === 0)
    return {
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastErrorAt: null,
      lastErrorClass: null,
      lastErrorMessage: null,
      consecutiveFailures: 0,
    };
  const successAge = kind === 1 ? null : edgyAge(rng, [fresh, unreachable, 0, MINUTE]);
  const isFailing = kind <= 4;
  const attemptAge = edgyAge(rng, [2 * intervalMs + 20 * SECOND, 0, 10 * intervalMs, 5 * MINUTE]);
  if (!isFailing && successAge !== null) {
    const at = iso(now - successAge);
    return {
      lastAttemptAt: at,
      lastSuccessAt: at,
      lastErrorAt: rng.chance(0.2) ? iso(now - successAge - rng.int(1, HOUR)) : null,
      lastErrorClass: "timeout",
      lastErrorMessage: "old failure",
      consecutiveFailures: 0,
    };
  }
  const errorAge = Math.min(attemptAge, successAge ?? attemptAge);
  const errorClass = rng.pick(ERROR_CLASSES);
  return {
    lastAttemptAt: iso(now - errorAge),
    lastSuccessAt: successAge === null ? null : iso(now - successAge),
    lastErrorAt: iso(now - errorAge),
    lastErrorClass: errorClass,
    lastErrorMessage: `collector says ${errorClass}`,
    consecutiveFailures: rng.int(1, 40),
  };
}

function summary(rng: Rng, name: string, now: number): ClusterSummary | null {
  if (rng.chance(0.1)) return null;
  const nodeCount = rng.chance(0.05) ? 0 : rng.int(1, 4);
  const notReady: ClusterSummary["notReady"] = [];
  const cordoned: string[] = [];
  const pressure: string[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const node = `${name}-n${i}`;
    if (rng.chance(0.15))
      notReady.push({
        name: node,
        status: rng.pick(["False", "Unknown"] as const),
        reason: rng.pick([null, "KubeletNotReady", "NodeStatusUnknown"]),
        since: rng.chance(0.9) ? iso(now - edgyAge(rng, [MINUTE, HOUR, DAY])) : null,
      });
    if (rng.chance(0.05)) cordoned.push(node);
    if (rng.chance(0.05))
      pressure.push(`${node}: ${rng.pick(["MemoryPressure", "DiskPressure", "PIDPressure"])}`);
  }
  const workloadProblemCount = rng.chance(0.1) ? rng.int(1, 7) : 0;
  return {
    observedAt: iso(now - rng.int(0, MINUTE)),
    nodeCount,
    readyCount: nodeCount - notReady.length,
    notReady,
    cordoned,
    pressure,
    workloadProblemCount,
    workloadProblems: Array.from({ length: Math.min(5, workloadProblemCount) }, (_, i) => ({
      name: `app-${i}`,
      problem: rng.pick(["0/3 available", "ImagePullBackOff", "CrashLoopBackOff"]),
    })),
    warningEventCount: rng.int(0, 3),
  };
}

function certNotAfter(rng: Rng, now: number): string | null {
  if (rng.chance(0.4)) return null;
  const edge = rng.pick([CERT_WARN_MS, CERT_CRITICAL_MS, 0, 365 * DAY, DAY]);
  return iso(now + edge + rng.int(-2 * HOUR, 2 * HOUR));
}

function telemetry(rng: Rng, hosts: string[], now: number): SiteTelemetryInput | undefined {
  if (rng.chance(0.3)) return undefined;
  const warnCelsius = rng.pick([70, 80, 85]);
  const list: TelemetryHostInput[] = [];
  for (const host of hosts) {
    if (rng.chance(0.15)) continue;
    const age = rng.chance(0.1) ? null : edgyAge(rng, [TELEMETRY_STALE_MS, 0, 20 * MINUTE]);
    const tempAge = age === null ? null : age + rng.int(0, 20 * SECOND);
    const h: TelemetryHostInput = {
      host,
      clusterId: null,
      lastPointAt: age === null ? null : iso(now - age),
      tempC: tempAge === null ? null : warnCelsius + rng.int(-30, 30) / 10,
      tempAt: tempAge === null ? null : iso(now - tempAge),
      pingAt: age === null ? null : iso(now - age),
      lossPct: rng.pick([0, 0, 20, 100, null]),
    };
    if (rng.chance(0.05)) h.clockSkewMs = rng.pick([2 * HOUR, -2 * HOUR, 5 * MINUTE, 95_000 - now]);
    list.push(h);
  }
  return { warnCelsius, isExpected: rng.chance(0.3), lookbackMs: DAY, hosts: list };
}

/** A random site: `index` makes ids and names unique; names sort in interesting ways (numbers, case). */
export function randomSiteInput(rng: Rng, index: number, now: number, intervalMs: number): SiteHealthInput {
  const kind = rng.pick(KINDS);
  const clusterCount =
    kind === "wind-farm" && rng.chance(0.3) ? rng.int(5, 21) : rng.chance(0.05) ? 0 : rng.int(1, 3);
  const slug = `${kind === "wind-farm" ? "wf" : kind}-${index}`;
  const clusters: ClusterHealthInput[] = [];
  for (let c = 0; c < clusterCount; c++) {
    const name = `${slug}-c${c}`;
    clusters.push({
      id: `c-${index}-${c}`,
      name,
      reach: reach(rng, now, intervalMs),
      summary: summary(rng, name, now),
      certNotAfter: certNotAfter(rng, now),
    });
  }
  const hosts = clusters.flatMap((c) =>
    Array.from({ length: c.summary?.nodeCount ?? 1 }, (_, i) => `${c.name}-n${i}`),
  );
  const isIntermittent = kind === "vehicle" || rng.chance(0.1);
  const t = telemetry(rng, hosts, now);
  return {
    id: `s-${String(index).padStart(6, "0")}`,
    slug,
    name: rng.pick([
      `Site ${index}`,
      `site ${index}`,
      `Store ${index % 50}`,
      `Zürich ${index}`,
      `store-${index}`,
    ]),
    kind,
    contactMode: isIntermittent ? "intermittent" : "continuous",
    expectedOfflineWindows:
      isIntermittent && rng.chance(0.6)
        ? [
            {
              start: `${String(rng.int(0, 23)).padStart(2, "0")}:${rng.pick(["00", "30"])}`,
              end: `${String(rng.int(0, 23)).padStart(2, "0")}:${rng.pick(["00", "15"])}`,
              timeZone: rng.pick(ZONES),
            },
          ]
        : [],
    maxSilenceMinutes: isIntermittent && rng.chance(0.5) ? rng.pick([30, 6 * 60, 24 * 60]) : null,
    clusters,
    ...(t ? { telemetry: t } : {}),
  };
}
