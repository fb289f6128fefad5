// Site roll-up: "which sites need me now, and since when?". Three axes are kept
// apart because they call for different people: the dashboard cannot reach the
// site (reach), the site reports a problem (condition), telemetry is broken
// (telemetry). Each axis contributes reasons; the worst reason sets the status.
import type { ReachErrorClass } from "@/lib/kube/error-class";
import { certHealth, spanText } from "./cert";
import { formatAgo, formatDuration, listFew, plural, toIso, toMs } from "./format";
import { assessReach, type FreshnessOptions, REACH_ERROR_PHRASE, type ReachAssessment } from "./freshness";
import { isHot } from "./hot";
import { failedPollsText, formatLatency } from "./link";
import {
  type CertHealth,
  type ConditionAxisStatus,
  type FleetCounts,
  type HealthAxis,
  type HealthReason,
  type HealthReasonCode,
  LINK_FAILED_LOSS_PCT,
  PLAUSIBLE_CLOCK_YEAR,
  type ReachAxisStatus,
  SITE_STATUSES,
  type SiteHealth,
  type SiteStatus,
  STATUS_SEVERITY,
  TELEMETRY_STALE_MS,
  type TelemetryAxisStatus,
} from "./model";
import { activeOfflineWindow, formatWindow } from "./offline-window";
import type { ClusterHealthInput, SiteHealthInput, SiteTelemetryInput, TelemetryHostInput } from "./types";

/** Reason severities, inside the band of the status each implies (see STATUS_SEVERITY). */
export const REASON_SEVERITY: Readonly<Record<HealthReasonCode, number>> = {
  "credentials-rejected": 60,
  "all-nodes-not-ready": 60,
  "site-unreachable": 50,
  "clusters-unreachable": 47,
  "nodes-not-ready": 46,
  "cert-expired": 46,
  "cert-expiring": 41,
  // Polls fail and succeed by turns: data arrives, but the link drops; a truck at the edge of coverage is different.
  "link-intermittent": 44,
  // Answers everything, seconds per request: reachable, yet an operator should know before a deploy.
  "link-slow": 40,
  "node-pressure": 44,
  "workload-problems": 43,
  "no-nodes": 42,
  "site-stale": 30,
  "no-clusters": 20,
  "not-contacted": 20,
  "expected-offline": 10,
  // Informational: listed, but a farm with one stale turbine among 21 is not a stale farm.
  "clusters-stale": 5,
  "nodes-cordoned": 5,
  "telemetry-stale": 30,
  "telemetry-hot": 44,
  // Misdated points are no telemetry: as bad as silence when no node sends plausible points.
  "telemetry-clock": 30,
};
/** A cert inside 7 days outranks ordinary degradation: it turns into a dark site by itself. */
const CERT_CRITICAL_SEVERITY = 45;
const PARTIAL_NOT_CONTACTED_SEVERITY = 5;
/** Sites that are dark by design at times (vehicles): a wavering link is listed, not a degradation. */
const EXPECTED_LINK_SEVERITY = 5;

/** The site answered and refused us: a human must act, waiting will not help and it is not "out of coverage". */
const ANSWERED_CLASSES: ReadonlySet<ReachErrorClass> = new Set<ReachErrorClass>(["auth", "http", "policy"]);

interface Reason {
  code: HealthReasonCode;
  axis: HealthAxis;
  severity: number;
  sentence: string;
  sinceMs: number | null;
  clusterId?: string;
}

interface ClusterEval {
  input: ClusterHealthInput;
  reach: ReachAssessment;
  cert: CertHealth;
}

export interface SiteHealthOptions extends FreshnessOptions {}

export function statusForSeverity(severity: number): SiteStatus {
  for (const status of SITE_STATUSES) if (severity >= STATUS_SEVERITY[status]) return status;
  return "healthy";
}

export function siteHealth(
  site: SiteHealthInput,
  now: number,
  intervalMs: number,
  options: SiteHealthOptions = {},
): SiteHealth {
  const evals: ClusterEval[] = site.clusters.map((input) => ({
    input,
    reach: assessReach(input.reach, now, intervalMs, options),
    cert: certHealth(input.certNotAfter, now),
  }));
  const fresh: ClusterEval[] = [];
  const stale: ClusterEval[] = [];
  const unreachable: ClusterEval[] = [];
  const notContacted: ClusterEval[] = [];
  // Clusters whose data is current enough to judge what the site reports.
  const current: ClusterEval[] = [];
  let lastSeenMs: number | null = null;
  let lastSeenAt: string | null = null;
  let nodes = 0;
  for (const e of evals) {
    const state = e.reach.state;
    if (state === "fresh") fresh.push(e);
    else if (state === "stale") stale.push(e);
    else if (state === "unreachable") unreachable.push(e);
    else notContacted.push(e);
    if ((state === "fresh" || state === "stale") && e.input.summary !== null) current.push(e);
    const seen = e.reach.lastSuccessMs;
    if (seen !== null && (lastSeenMs === null || seen > lastSeenMs)) {
      lastSeenMs = seen;
      lastSeenAt = e.input.reach.lastSuccessAt;
    }
    nodes += e.input.summary?.nodeCount ?? 0;
  }
  // Reuse the stored text when it already is toISOString() output (it sorts as text); re-render otherwise.
  if (lastSeenAt !== null && !isCanonicalIso(lastSeenAt)) lastSeenAt = toIso(lastSeenMs);

  const ctx: SiteContext = { site, now, evals, isMulti: evals.length > 1, lastSeenMs };
  const reach = evaluateReach(ctx, fresh, stale, unreachable, notContacted);
  const condition = evaluateCondition(ctx, reach.status === "expected-offline" ? [] : current);
  const telemetry = evaluateTelemetry(ctx, reach.status);

  const reasons = reach.reasons;
  for (const r of condition.reasons) reasons.push(r);
  for (const r of telemetry.reasons) reasons.push(r);
  // Stable: equal severities keep the order the axes emitted them in.
  reasons.sort((a, b) => b.severity - a.severity);
  const top = reasons[0];
  const severity = top ? Math.max(0, top.severity) : 0;
  const status = statusForSeverity(severity);

  let sinceMs: number | null = null;
  if (status !== "healthy") {
    // The status began when the earliest of its own reasons did.
    for (const r of reasons) {
      if (statusForSeverity(r.severity) !== status || r.sinceMs === null) continue;
      if (sinceMs === null || r.sinceMs < sinceMs) sinceMs = r.sinceMs;
    }
  }

  const primary = status === "healthy" || !top ? healthySentence(ctx, fresh, condition.nodes) : top.sentence;
  const others = status === "healthy" ? reasons.length : reasons.length - 1;
  const headline = others > 0 ? `${primary} (+${others} more)` : primary;

  return {
    siteId: site.id,
    slug: site.slug,
    name: site.name,
    status,
    severity,
    since: sinceMs === lastSeenMs ? lastSeenAt : toIso(sinceMs),
    lastSeenAt,
    headline,
    reasons: reasons.map((r) => toPublicReason(r, lastSeenMs, lastSeenAt)),
    counts: {
      clusters: evals.length,
      clustersFresh: fresh.length,
      clustersStale: stale.length,
      clustersUnreachable: unreachable.length,
      nodes,
      nodesReady: condition.nodesReady,
    },
    axes: { reach: reach.status, condition: condition.status, telemetry: telemetry.status },
  };
}

/** Worst first: severity, then the most recent change (new incidents on top), then name. */
export function compareSiteHealth(a: SiteHealth, b: SiteHealth): number {
  if (a.severity !== b.severity) return b.severity - a.severity;
  if (a.since !== b.since) {
    if (a.since === null) return 1;
    if (b.since === null) return -1;
    // Both are toISOString() output, so text order is time order.
    return a.since < b.since ? 1 : -1;
  }
  return compareSiteNames(a.name, a.siteId, b.name, b.siteId);
}

/** Name as people read it (store-2 before store-10, case and accents ignored), then id: a total order. */
export function compareSiteNames(aName: string, aId: string, bName: string, bId: string): number {
  const byName = NAME_COLLATOR.compare(aName, bName);
  if (byName !== 0) return byName;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

const NAME_COLLATOR = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

export function fleetCounts(healths: readonly SiteHealth[]): FleetCounts {
  const counts: FleetCounts = {
    total: 0,
    unknown: 0,
    healthy: 0,
    stale: 0,
    "expected-offline": 0,
    degraded: 0,
    unreachable: 0,
    critical: 0,
  };
  for (const h of healths) {
    counts[h.status]++;
    counts.total++;
  }
  return counts;
}

/** Every site rolled up, worst first, with the counts for the fleet header. */
export function rollUpSites(
  sites: readonly SiteHealthInput[],
  now: number,
  intervalMs: number,
  options?: SiteHealthOptions,
): { sites: SiteHealth[]; counts: FleetCounts } {
  const healths = sites.map((s) => siteHealth(s, now, intervalMs, options));
  healths.sort(compareSiteHealth);
  return { sites: healths, counts: fleetCounts(healths) };
}

// ---------------------------------------------------------------------------
// Reach axis

interface SiteContext {
  site: SiteHealthInput;
  now: number;
  evals: ClusterEval[];
  isMulti: boolean;
  lastSeenMs: number | null;
}

function evaluateReach(
  ctx: SiteContext,
  fresh: ClusterEval[],
  stale: ClusterEval[],
  unreachable: ClusterEval[],
  notContacted: ClusterEval[],
): { status: ReachAxisStatus; reasons: Reason[] } {
  const { site, evals, isMulti } = ctx;
  const total = evals.length;
  const reasons: Reason[] = [];
  if (total === 0) {
    reasons.push(reason("no-clusters", "reach", "No clusters registered", null));
    return { status: "unknown", reasons };
  }
  const contacted = total - notContacted.length;
  if (contacted === 0) {
    const sentence = isMulti ? `None of the ${total} clusters contacted yet` : "Not contacted yet";
    reasons.push(reason("not-contacted", "reach", sentence, null));
    return { status: "unknown", reasons };
  }
  if (notContacted.length > 0) {
    const names = notContacted.map((e) => e.input.name);
    reasons.push({
      ...reason(
        "not-contacted",
        "reach",
        `${notContacted.length} of ${total} clusters not contacted yet: ${listFew(names)}`,
        null,
      ),
      severity: PARTIAL_NOT_CONTACTED_SEVERITY,
      ...single(notContacted),
    });
  }

  const isCredentialsDead = evals.every(
    (e) =>
      e.reach.state !== "fresh" &&
      (e.cert.state === "expired" || (e.reach.state === "unreachable" && e.reach.errorClass === "auth")),
  );
  if (isCredentialsDead) reasons.push(credentialsReason(ctx));
  else reasons.push(...certReasons(ctx));

  let status: ReachAxisStatus;
  if (fresh.length === contacted) {
    status = "reachable";
  } else if (fresh.length === 0) {
    const dark = [...stale, ...unreachable];
    const isAllSilent = dark.every((e) => !(e.reach.errorClass && ANSWERED_CLASSES.has(e.reach.errorClass)));
    const expected = site.contactMode === "intermittent" && isAllSilent ? expectedOfflineLabel(ctx) : null;
    if (expected) {
      status = "expected-offline";
      const seen =
        ctx.lastSeenMs === null ? "not reached yet" : `last seen ${formatAgo(ctx.now - ctx.lastSeenMs)}`;
      reasons.push(
        reason(
          "expected-offline",
          "reach",
          `Out of coverage as expected (${expected}); ${seen}`,
          ctx.lastSeenMs ?? earliestSince(dark),
        ),
      );
    } else if (unreachable.length === contacted) {
      status = "unreachable";
      if (!isCredentialsDead) reasons.push(siteUnreachableReason(ctx, unreachable));
    } else if (unreachable.length === 0) {
      status = "stale";
      reasons.push(siteStaleReason(ctx, stale));
    } else {
      status = "partial";
      reasons.push(clustersUnreachableReason(ctx, unreachable));
      reasons.push(clustersStaleReason(ctx, stale));
    }
  } else {
    status = "partial";
    if (unreachable.length > 0) reasons.push(clustersUnreachableReason(ctx, unreachable));
    if (stale.length > 0) reasons.push(clustersStaleReason(ctx, stale));
  }
  if (status !== "expected-offline") {
    const answering = stale.length === 0 ? fresh : [...fresh, ...stale];
    const intermittent = answering.filter((e) => e.reach.linkState === "intermittent");
    // An intermittent link that is also slow says so in its own sentence.
    const slowOnly = answering.filter((e) => e.reach.linkState === "slow");
    if (intermittent.length > 0) reasons.push(intermittentReason(ctx, intermittent));
    if (slowOnly.length > 0) reasons.push(slowReason(ctx, slowOnly));
    if (status === "reachable") {
      if (intermittent.length > 0) status = "intermittent";
      else if (slowOnly.length > 0) status = "slow";
    }
  }
  return { status, reasons };
}

function linkSeverity(ctx: SiteContext, code: "link-intermittent" | "link-slow"): number {
  return ctx.site.contactMode === "intermittent" ? EXPECTED_LINK_SEVERITY : REASON_SEVERITY[code];
}

function earliestLinkSince(members: readonly ClusterEval[]): number | null {
  let out: number | null = null;
  for (const e of members)
    if (e.reach.linkSinceMs !== null && (out === null || e.reach.linkSinceMs < out))
      out = e.reach.linkSinceMs;
  return out;
}

function intermittentReason(ctx: SiteContext, members: ClusterEval[]): Reason {
  let sentence: string;
  if (!ctx.isMulti && members[0]) {
    const e = members[0];
    const why = e.input.reach.lastErrorClass ? ` (${REACH_ERROR_PHRASE[e.input.reach.lastErrorClass]})` : "";
    const slow =
      e.reach.link.isSlow && e.reach.link.latencyMs !== null
        ? `; slow, ${formatLatency(e.reach.link.latencyMs)} per request`
        : "";
    sentence = `Intermittent link: ${failedPollsText(e.reach.link)}${why}${slow}`;
  } else {
    const items = members.map(
      (e) => `${e.input.name} (${e.reach.link.failures} of ${e.reach.link.polls} polls failed)`,
    );
    sentence = `${members.length} of ${ctx.evals.length} clusters intermittent: ${listFew(items)}`;
  }
  return {
    code: "link-intermittent",
    axis: "reach",
    severity: linkSeverity(ctx, "link-intermittent"),
    sentence,
    sinceMs: earliestLinkSince(members),
    ...single(members),
  };
}

function slowReason(ctx: SiteContext, members: ClusterEval[]): Reason {
  const latency = (e: ClusterEval) => formatLatency(e.reach.link.latencyMs ?? 0);
  let sentence: string;
  if (!ctx.isMulti && members[0]) sentence = `Slow link: ${latency(members[0])} per request`;
  else {
    const items = members.map((e) => `${e.input.name} (${latency(e)} per request)`);
    sentence = `${members.length} of ${ctx.evals.length} clusters on a slow link: ${listFew(items)}`;
  }
  return {
    code: "link-slow",
    axis: "reach",
    severity: linkSeverity(ctx, "link-slow"),
    sentence,
    sinceMs: earliestLinkSince(members),
    ...single(members),
  };
}

/** Why silence is expected right now, or null: inside a window, or not silent longer than allowed. */
function expectedOfflineLabel(ctx: SiteContext): string | null {
  const { site, now, lastSeenMs } = ctx;
  const window = activeOfflineWindow(site.expectedOfflineWindows, now);
  if (window) return formatWindow(window);
  if (
    site.maxSilenceMinutes !== null &&
    lastSeenMs !== null &&
    now - lastSeenMs <= site.maxSilenceMinutes * 60_000
  ) {
    return `silent up to ${formatDuration(site.maxSilenceMinutes * 60_000)}`;
  }
  return null;
}

function siteUnreachableReason(ctx: SiteContext, unreachable: ClusterEval[]): Reason {
  const { site, now, evals, isMulti, lastSeenMs } = ctx;
  const phrase = commonErrorPhrase(unreachable);
  const count = unreachable.length;
  let sentence: string;
  if (lastSeenMs === null) {
    sentence = isMulti ? `None of the ${count} clusters reached yet: ${phrase}` : `Never reached: ${phrase}`;
  } else {
    const who = isMulti
      ? `${count === evals.length ? "All" : `${count} of`} ${evals.length} clusters unreachable`
      : "Unreachable";
    sentence = `${who} for ${formatDuration(now - lastSeenMs)}: ${phrase}`;
    const seenNodes = lastSeenNodes(evals);
    if (seenNodes) sentence += `; last seen ${seenNodes}`;
  }
  if (site.contactMode === "intermittent" && site.maxSilenceMinutes !== null) {
    sentence += `; silent longer than the expected ${formatDuration(site.maxSilenceMinutes * 60_000)}`;
  }
  sentence += lagNote(unreachable);
  return reason("site-unreachable", "reach", sentence, lastSeenMs ?? earliestSince(unreachable));
}

function siteStaleReason(ctx: SiteContext, stale: ClusterEval[]): Reason {
  const { now, lastSeenMs } = ctx;
  const age = lastSeenMs === null ? 0 : now - lastSeenMs;
  let note = lagNote(stale);
  if (!note) {
    const failing = stale.filter((e) => e.reach.errorClass !== null);
    if (failing.length > 0) note = `; last attempt: ${commonErrorPhrase(failing)}`;
  }
  return reason("site-stale", "reach", `Last update ${formatAgo(age)}${note}`, lastSeenMs);
}

function clustersUnreachableReason(ctx: SiteContext, unreachable: ClusterEval[]): Reason {
  const { now, evals } = ctx;
  const items = unreachable.map((e) => {
    const phrase = REACH_ERROR_PHRASE[e.reach.errorClass ?? "unknown"];
    return e.reach.lastSuccessMs === null
      ? `${e.input.name} never reached (${phrase})`
      : `${e.input.name} for ${formatDuration(now - e.reach.lastSuccessMs)} (${phrase})`;
  });
  const sentence = `${unreachable.length} of ${evals.length} clusters unreachable: ${listFew(items)}`;
  return {
    ...reason("clusters-unreachable", "reach", sentence, earliestSince(unreachable)),
    ...single(unreachable),
  };
}

function clustersStaleReason(ctx: SiteContext, stale: ClusterEval[]): Reason {
  const items = stale.map((e) => `${e.input.name} (last update ${formatAgo(e.reach.ageMs ?? 0)})`);
  const sentence = `${stale.length} of ${ctx.evals.length} clusters stale: ${listFew(items)}${lagNote(stale)}`;
  return { ...reason("clusters-stale", "reach", sentence, earliestSince(stale)), ...single(stale) };
}

function credentialsReason(ctx: SiteContext): Reason {
  const { evals, isMulti, now } = ctx;
  const isAllExpired = evals.every((e) => e.cert.state === "expired");
  const isAllRejected = evals.every((e) => e.reach.errorClass === "auth");
  let sentence: string;
  if (!isMulti) {
    const only = evals[0];
    if (only && only.cert.state === "expired" && only.cert.remainingMs !== null) {
      sentence = `Client certificate expired ${spanText(-only.cert.remainingMs)} ago; renew the kubeconfig`;
    } else {
      const since = only?.reach.sinceMs;
      sentence = `Credentials rejected${since == null ? "" : ` for ${formatDuration(now - since)}`}; renew the kubeconfig`;
    }
  } else if (isAllExpired) {
    sentence = `Client certificates expired on all ${evals.length} clusters; renew the kubeconfigs`;
  } else if (isAllRejected) {
    sentence = `Credentials rejected by all ${evals.length} clusters; renew the kubeconfigs`;
  } else {
    sentence = `Credentials rejected or expired on all ${evals.length} clusters; renew the kubeconfigs`;
  }
  // Critical from the moment the last cluster lost its credentials.
  let sinceMs: number | null = null;
  for (const e of evals) {
    const dead = e.cert.state === "expired" && e.cert.since ? Date.parse(e.cert.since) : e.reach.sinceMs;
    if (dead !== null && (sinceMs === null || dead > sinceMs)) sinceMs = dead;
  }
  return reason("credentials-rejected", "reach", sentence, sinceMs);
}

function certReasons(ctx: SiteContext): Reason[] {
  const reasons: Reason[] = [];
  // Nearly every site has nothing to say about certificates: leave before grouping.
  if (ctx.evals.every((e) => e.cert.state === "none" || e.cert.state === "ok")) return reasons;
  const groups: [CertHealth["state"], HealthReasonCode, number][] = [
    ["expired", "cert-expired", REASON_SEVERITY["cert-expired"]],
    ["critical", "cert-expiring", CERT_CRITICAL_SEVERITY],
    ["warning", "cert-expiring", REASON_SEVERITY["cert-expiring"]],
  ];
  for (const [state, code, severity] of groups) {
    const members = ctx.evals.filter((e) => e.cert.state === state);
    const first = members.reduce<ClusterEval | undefined>(
      (acc, e) => (acc && (acc.cert.remainingMs ?? 0) <= (e.cert.remainingMs ?? 0) ? acc : e),
      undefined,
    );
    if (!first || first.cert.remainingMs === null) continue;
    const span = spanText(Math.abs(first.cert.remainingMs));
    const isExpired = state === "expired";
    let sentence: string;
    if (members.length === 1) {
      const subject = ctx.isMulti ? `Client certificate of ${first.input.name}` : "Client certificate";
      sentence = isExpired ? `${subject} expired ${span} ago` : `${subject} expires in ${span}`;
    } else {
      sentence = isExpired
        ? `Client certificates of ${members.length} clusters expired, the first ${span} ago`
        : `Client certificates of ${members.length} clusters expire soon, the first in ${span}`;
    }
    let sinceMs: number | null = null;
    for (const e of members) {
      const s = e.cert.since ? Date.parse(e.cert.since) : null;
      if (s !== null && (sinceMs === null || s < sinceMs)) sinceMs = s;
    }
    reasons.push({ code, axis: "reach", severity, sentence, sinceMs, ...single(members) });
  }
  return reasons;
}

// ---------------------------------------------------------------------------
// Condition axis: what the site itself reports, from clusters whose data is current

function evaluateCondition(
  ctx: SiteContext,
  current: ClusterEval[],
): { status: ConditionAxisStatus; reasons: Reason[]; nodes: number; nodesReady: number } {
  const { now } = ctx;
  const reasons: Reason[] = [];
  if (current.length === 0) return { status: "unknown", reasons, nodes: 0, nodesReady: 0 };

  let nodes = 0;
  let nodesReady = 0;
  let hasFindings = false;
  for (const e of current) {
    const s = e.input.summary;
    if (!s) continue;
    nodes += s.nodeCount;
    nodesReady += s.readyCount;
    if (
      s.nodeCount === 0 ||
      s.notReady.length + s.pressure.length + s.cordoned.length + s.workloadProblemCount > 0
    ) {
      hasFindings = true;
    }
  }
  // Most sites are fine: answer them without building any lists.
  if (!hasFindings) return { status: "ok", reasons, nodes, nodesReady };

  const notReady: { text: string; sinceMs: number | null; clusterId: string }[] = [];
  const noNodes: ClusterEval[] = [];
  const pressure: { text: string; clusterId: string }[] = [];
  const cordoned: { text: string; clusterId: string }[] = [];
  const workloads: string[] = [];
  const workloadClusters: ClusterEval[] = [];
  let workloadCount = 0;
  for (const e of current) {
    const s = e.input.summary;
    if (!s) continue;
    const id = e.input.id;
    if (s.nodeCount === 0) noNodes.push(e);
    for (const n of s.notReady) {
      const sinceMs = toMs(n.since);
      const hasSince = sinceMs !== null;
      const why =
        n.status === "Unknown" ? (n.reason ? `Unknown, ${n.reason}` : "Unknown") : (n.reason ?? "NotReady");
      notReady.push({
        text: `${n.name} (${why})${hasSince ? ` for ${formatDuration(now - sinceMs)}` : ""}`,
        sinceMs,
        clusterId: id,
      });
    }
    for (const p of s.pressure) {
      // The summary stores "node: Condition"; reorder into a phrase.
      const cut = p.lastIndexOf(": ");
      pressure.push({ text: cut < 0 ? p : `${p.slice(cut + 2)} on ${p.slice(0, cut)}`, clusterId: id });
    }
    for (const name of s.cordoned) cordoned.push({ text: name, clusterId: id });
    if (s.workloadProblemCount > 0) {
      workloadCount += s.workloadProblemCount;
      workloadClusters.push(e);
      for (const w of s.workloadProblems) workloads.push(`${w.name} (${w.problem})`);
    }
  }

  let status: ConditionAxisStatus = "ok";
  if (nodes > 0 && nodesReady === 0) {
    status = "critical";
    const sentence =
      nodes === 1
        ? `Node NotReady: ${notReady.map((n) => n.text).join(", ")}`
        : `All ${nodes} nodes NotReady: ${listFew(notReady.map((n) => n.text))}`;
    // Critical from the moment the last node went down.
    let sinceMs: number | null = null;
    for (const n of notReady)
      if (n.sinceMs !== null && (sinceMs === null || n.sinceMs > sinceMs)) sinceMs = n.sinceMs;
    reasons.push(reason("all-nodes-not-ready", "condition", sentence, sinceMs));
  } else if (notReady.length > 0) {
    status = "degraded";
    let sinceMs: number | null = null;
    for (const n of notReady)
      if (n.sinceMs !== null && (sinceMs === null || n.sinceMs < sinceMs)) sinceMs = n.sinceMs;
    const sentence = `${notReady.length} of ${nodes} nodes NotReady: ${listFew(notReady.map((n) => n.text))}`;
    reasons.push({ ...reason("nodes-not-ready", "condition", sentence, sinceMs), ...singleId(notReady) });
  }
  if (noNodes.length > 0) {
    status = status === "critical" ? status : "degraded";
    const sentence = ctx.isMulti
      ? `${listFew(noNodes.map((e) => e.input.name))} ${noNodes.length === 1 ? "reports" : "report"} no nodes`
      : "The cluster reports no nodes";
    reasons.push({ ...reason("no-nodes", "condition", sentence, null), ...single(noNodes) });
  }
  if (pressure.length > 0) {
    status = status === "critical" ? status : "degraded";
    reasons.push({
      ...reason(
        "node-pressure",
        "condition",
        `Resource pressure: ${listFew(pressure.map((p) => p.text))}`,
        null,
      ),
      ...singleId(pressure),
    });
  }
  if (workloadCount > 0) {
    status = status === "critical" ? status : "degraded";
    const shown = workloads.slice(0, 3);
    const more = workloadCount - shown.length;
    const list = more > 0 ? `${shown.join(", ")} and ${more} more` : shown.join(", ");
    const sentence = `${plural(workloadCount, "workload problem")}${list ? `: ${list}` : ""}`;
    reasons.push({
      ...reason("workload-problems", "condition", sentence, null),
      ...single(workloadClusters),
    });
  }
  if (cordoned.length > 0) {
    const sentence = `${plural(cordoned.length, "node")} cordoned: ${listFew(cordoned.map((c) => c.text))}`;
    reasons.push({ ...reason("nodes-cordoned", "condition", sentence, null), ...singleId(cordoned) });
  }
  return { status, reasons, nodes, nodesReady };
}

// ---------------------------------------------------------------------------
// Telemetry axis: what the site's own sensors say (InfluxDB), next to what its API says

/** Severity of a few silent nodes next to talking ones: listed, but not a stale site. */
const PARTIAL_SILENCE_SEVERITY = 5;

function evaluateTelemetry(
  ctx: SiteContext,
  reachStatus: ReachAxisStatus,
): { status: TelemetryAxisStatus; reasons: Reason[] } {
  const t = ctx.site.telemetry;
  const reasons: Reason[] = [];
  if (!t) return { status: "unknown", reasons };
  const { now } = ctx;
  // A powered-down or NotReady node sends nothing; the condition axis already says so.
  const down = new Set<string>();
  for (const e of ctx.evals) for (const n of e.input.summary?.notReady ?? []) down.add(n.name);

  const { freshCount, lastMs, silent, hot, misdated } = collectTelemetry(t, now, down);

  if (hot.length > 0) {
    // Nodes with their own level (cluster/node overrides) say theirs; one shared level is said once.
    const levels = new Set(hot.map((h) => h.warnCelsius));
    const shared = levels.size === 1 ? hot[0]?.warnCelsius : undefined;
    const item = (h: (typeof hot)[number]) =>
      shared === undefined
        ? `${h.host} ${formatCelsius(h.tempC)} (above ${formatCelsius(h.warnCelsius)})`
        : `${h.host} ${formatCelsius(h.tempC)}`;
    const limit = shared === undefined ? "" : ` (warning above ${formatCelsius(shared)})`;
    const sentence =
      hot.length === 1 && hot[0]
        ? `${hot[0].host} at ${formatCelsius(hot[0].tempC)} (warning above ${formatCelsius(hot[0].warnCelsius)})`
        : `${hot.length} nodes hot${limit}: ${listFew(hot.map(item))}`;
    reasons.push(reason("telemetry-hot", "telemetry", sentence, null));
  }

  // Out of coverage as expected: silence is the plan, not a fault.
  const isSilenceExpected = reachStatus === "expected-offline";
  const isApiAnswering = reachStatus === "reachable" || reachStatus === "partial";
  const isApiDark = reachStatus === "unreachable" || reachStatus === "stale";
  let isStale = false;
  if (!isSilenceExpected) {
    if (t.hosts.length === 0) {
      if (t.isExpected && isApiAnswering) {
        isStale = true;
        const sentence = `Telemetry broken: no points in the last ${formatDuration(t.lookbackMs)} while the API answers`;
        reasons.push(reason("telemetry-stale", "telemetry", sentence, null));
      }
    } else if (freshCount === 0 && silent.length > 0) {
      isStale = true;
      const silence =
        lastMs === null ? `in ${formatDuration(t.lookbackMs)}` : `for ${formatDuration(now - lastMs)}`;
      let sentence: string;
      if (isApiDark) {
        sentence = `Link down: no telemetry ${silence}${linkEvidence(t.hosts)}`;
      } else if (isApiAnswering) {
        sentence = `Telemetry broken: no points ${silence} while the API answers`;
      } else {
        sentence = `No telemetry ${silence}`;
      }
      reasons.push(reason("telemetry-stale", "telemetry", sentence, lastMs));
    } else if (silent.length > 0) {
      let sinceMs: number | null = null;
      for (const s of silent)
        if (s.lastMs !== null && (sinceMs === null || s.lastMs < sinceMs)) sinceMs = s.lastMs;
      const items = silent.map((s) =>
        s.lastMs === null ? s.host : `${s.host} for ${formatDuration(now - s.lastMs)}`,
      );
      const sentence = `${silent.length} of ${t.hosts.length} nodes send no telemetry: ${listFew(items)}`;
      reasons.push({
        ...reason("telemetry-stale", "telemetry", sentence, sinceMs),
        severity: PARTIAL_SILENCE_SEVERITY,
      });
    }
  }

  if (misdated.length > 0 && !isSilenceExpected) {
    const isOnlyEvidence = freshCount === 0 && silent.length === 0;
    if (isOnlyEvidence) isStale = true;
    reasons.push({
      ...reason("telemetry-clock", "telemetry", clockSentence(misdated, now), null),
      ...(isOnlyEvidence ? {} : { severity: PARTIAL_SILENCE_SEVERITY }),
    });
  }

  let status: TelemetryAxisStatus;
  if (hot.length > 0) status = "hot";
  else if (isStale) status = "stale";
  else if (freshCount > 0) status = "ok";
  else status = "unknown";
  return { status, reasons };
}

interface TelemetryFacts {
  freshCount: number;
  /** newest point of any host with a plausible clock */
  lastMs: number | null;
  silent: { host: string; lastMs: number | null }[];
  /** hottest first */
  hot: { host: string; tempC: number; warnCelsius: number }[];
  misdated: { host: string; skewMs: number }[];
}

/** What the telemetry axis reads off its input at `now` (hosts in `down` are not counted silent). */
function collectTelemetry(t: SiteTelemetryInput, now: number, down: ReadonlySet<string>): TelemetryFacts {
  let freshCount = 0;
  let lastMs: number | null = null;
  const silent: { host: string; lastMs: number | null }[] = [];
  const hot: { host: string; tempC: number; warnCelsius: number }[] = [];
  const misdated: { host: string; skewMs: number }[] = [];
  for (const h of t.hosts) {
    // A wrong clock: its points were set aside, so the host is neither silent nor hot, it is misdated.
    if (h.clockSkewMs != null) {
      misdated.push({ host: h.host, skewMs: h.clockSkewMs });
      continue;
    }
    const last = toMs(h.lastPointAt);
    if (last !== null && (lastMs === null || last > lastMs)) lastMs = last;
    if (last !== null && now - last <= TELEMETRY_STALE_MS) freshCount++;
    else if (!down.has(h.host)) silent.push({ host: h.host, lastMs: last });
    // The host's own level of the threshold chain (a cluster or node override), else the site's.
    const warnCelsius = h.warnCelsius ?? t.warnCelsius;
    if (h.tempC !== null && isHot({ tempC: h.tempC, atMs: toMs(h.tempAt) }, warnCelsius, now))
      hot.push({ host: h.host, tempC: h.tempC, warnCelsius });
  }
  hot.sort((a, b) => b.tempC - a.tempC);
  return { freshCount, lastMs, silent, hot, misdated };
}

/**
 * Everything the telemetry axis can make of this input at `now`, as text: two
 * inputs with the same key give the same telemetry reasons and status at `now`,
 * whatever the rest of the site looks like. The fleet summary compares keys to
 * skip the sites a telemetry tick did not really change (a node at 52.1 °C
 * instead of 52.3 °C changes nothing); time-driven changes are nextStateChangeAt's.
 */
export function telemetryStateKey(t: SiteTelemetryInput | undefined, now: number): string {
  if (!t) return "";
  const f = collectTelemetry(t, now, new Set());
  return JSON.stringify([
    t.warnCelsius,
    t.isExpected,
    t.lookbackMs,
    t.hosts.length,
    f.freshCount,
    f.freshCount === 0 ? f.lastMs : null,
    f.silent.map((s) => [s.host, s.lastMs]),
    f.hot.map((h) => [h.host, formatCelsius(h.tempC), h.warnCelsius]),
    f.misdated.length > 0 ? clockSentence(f.misdated, now) : "",
    linkEvidence(t.hosts),
  ]);
}

/** What the last connectivity samples add to "link down": the probes themselves failed before the silence. */
function linkEvidence(hosts: readonly TelemetryHostInput[]): string {
  let isAnyPing = false;
  for (const h of hosts) {
    if (h.lossPct === null) continue;
    isAnyPing = true;
    if (h.lossPct < LINK_FAILED_LOSS_PCT) return "";
  }
  return isAnyPing ? "; last pings lost every probe" : "";
}

/** "Clock wrong on nuc-01 (+2 h)"; several: "Clocks wrong on 3 nodes: a (+2 h), b (clock at 1970), …". */
function clockSentence(misdated: { host: string; skewMs: number }[], now: number): string {
  const items = [...misdated]
    .sort((a, b) => a.host.localeCompare(b.host, "en", { numeric: true }))
    .map((m) => `${m.host} (${formatSkew(m.skewMs, now)})`);
  if (items.length === 1) return `Clock wrong on ${items[0]}`;
  return `Clocks wrong on ${items.length} nodes: ${listFew(items)}`;
}

/** "+2 h", "−5 m"; a clock reading a year before any real point as "clock at 1970". */
export function formatSkew(skewMs: number, now: number): string {
  const year = new Date(now + skewMs).getUTCFullYear();
  if (year < PLAUSIBLE_CLOCK_YEAR) return `clock at ${year}`;
  // Probes see the newest point up to one sample late: whole minutes read truer than "1 h 59 m".
  const rounded = Math.round(Math.abs(skewMs) / 60_000) * 60_000;
  return `${skewMs < 0 ? "−" : "+"}${formatDuration(rounded)}`;
}

function formatCelsius(c: number): string {
  return `${(Math.round(c * 10) / 10).toFixed(1)} °C`;
}

// ---------------------------------------------------------------------------
// Helpers

function reason(code: HealthReasonCode, axis: HealthAxis, sentence: string, sinceMs: number | null): Reason {
  return { code, axis, severity: REASON_SEVERITY[code], sentence, sinceMs };
}

/** Most reasons date from the last contact, whose text we already have. */
function toPublicReason(r: Reason, lastSeenMs: number | null, lastSeenAt: string | null): HealthReason {
  const out: HealthReason = {
    code: r.code,
    axis: r.axis,
    severity: r.severity,
    sentence: r.sentence,
    since: r.sinceMs !== null && r.sinceMs === lastSeenMs ? lastSeenAt : toIso(r.sinceMs),
  };
  if (r.clusterId !== undefined) out.clusterId = r.clusterId;
  return out;
}

/** A reason about exactly one cluster links to it. */
function single(members: readonly ClusterEval[]): { clusterId?: string } {
  const only = members[0];
  return members.length === 1 && only ? { clusterId: only.input.id } : {};
}

function singleId(items: readonly { clusterId: string }[]): { clusterId?: string } {
  const first = items[0];
  if (!first) return {};
  return items.every((i) => i.clusterId === first.clusterId) ? { clusterId: first.clusterId } : {};
}

function earliestSince(members: readonly ClusterEval[]): number | null {
  let out: number | null = null;
  for (const e of members)
    if (e.reach.sinceMs !== null && (out === null || e.reach.sinceMs < out)) out = e.reach.sinceMs;
  return out;
}

/** The failure most clusters share; several kinds at once are named as such rather than listed. */
function commonErrorPhrase(members: readonly ClusterEval[]): string {
  const counts = new Map<ReachErrorClass, number>();
  for (const e of members) {
    const c = e.reach.errorClass ?? "unknown";
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best: ReachErrorClass = "unknown";
  let bestCount = 0;
  for (const [c, n] of counts) {
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  const phrase = REACH_ERROR_PHRASE[best];
  return counts.size > 1 ? `${phrase} and other errors` : phrase;
}

/** Blame the dashboard, not the site, when the collector itself has fallen behind on every one of them. */
function lagNote(members: readonly ClusterEval[]): string {
  if (members.length === 0 || members.some((e) => e.reach.collector === "on-time")) return "";
  return members.every((e) => e.reach.collector === "stopped")
    ? " (collector stopped)"
    : " (collector behind)";
}

function lastSeenNodes(evals: readonly ClusterEval[]): string | null {
  let nodes = 0;
  let ready = 0;
  let hasSummary = false;
  for (const e of evals) {
    const s = e.input.summary;
    if (!s) continue;
    hasSummary = true;
    nodes += s.nodeCount;
    ready += s.readyCount;
  }
  if (!hasSummary) return null;
  if (nodes === 0) return "no nodes";
  return ready === nodes ? `${plural(nodes, "node")} Ready` : `${ready} of ${nodes} nodes Ready`;
}

/** YYYY-MM-DDTHH:mm:ss.sssZ, the only shape whose text order is time order. */
function isCanonicalIso(value: string): boolean {
  return value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */;
}

function healthySentence(ctx: SiteContext, fresh: readonly ClusterEval[], nodes: number): string {
  let oldest = 0;
  for (const e of fresh) if ((e.reach.ageMs ?? 0) > oldest) oldest = e.reach.ageMs ?? 0;
  const nodesText = nodes === 0 ? "reachable" : nodes === 1 ? "1 node Ready" : `all ${nodes} nodes Ready`;
  const total = ctx.evals.length;
  const lead = ctx.isMulti
    ? `${fresh.length === total ? `${total} clusters` : `${fresh.length} of ${total} clusters current`}, ${nodesText}`
    : nodesText.charAt(0).toUpperCase() + nodesText.slice(1);
  return `${lead}; updated ${formatAgo(oldest)}`;
}
