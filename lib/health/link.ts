import { RETRIES_BEFORE_BACKOFF } from "./backoff";

// Link quality of one cluster from its latest poll outcomes: steady, slow
// (answers, but each request takes seconds) or intermittent (polls fail and
// succeed by turns). Pure. The collector keeps the outcomes on the status row
// (so they survive a restart) and uses the same rules to decide when a run
// begins and ends; the health model reads them back.

/** Poll outcomes kept per cluster: three minutes at the default 15 s interval. */
export const POLL_HISTORY = 12;
/** A run of intermittent reachability needs this many failed polls in the window… */
export const INTERMITTENT_MIN_FAILURES = 3;
/** …in at least this many separate drops (a single outage is dark, not flapping). */
export const INTERMITTENT_MIN_DROPS = 2;
/**
 * Once polls fail this many times in a row the collector backs off and the
 * cluster is shown down (stale, then unreachable), not wavering; its run of
 * intermittency stays open while the window still holds the flaps, so a short
 * outage amid flapping does not cost a new run.
 */
export const OUTAGE_AFTER_FAILURES = RETRIES_BEFORE_BACKOFF + 1;
/** A link is slow when a request typically takes this long (cellular ≈ 0.1–0.3 s, satellite ≈ 0.6 s). */
export const SLOW_REQUEST_MS = 2_000;
/** "Typically": the median of this many latest successful polls, so one slow answer is not a slow link. */
export const SLOW_SAMPLE = 3;

/** One poll: its median per-request latency (ms) when it succeeded, null when it failed. */
export type PollOutcome = number | null;

const FAILED_TOKEN = "x";

/** Compact text for the status row, oldest first: "412,398,x,4100". */
export function encodePolls(outcomes: readonly PollOutcome[]): string {
  return outcomes.map((o) => (o === null ? FAILED_TOKEN : String(Math.max(0, Math.round(o))))).join(",");
}

/** Tolerant of anything else in the column (an older row, a hand edit): unknown tokens are dropped. */
export function decodePolls(text: string | null | undefined): PollOutcome[] {
  if (!text) return [];
  const out: PollOutcome[] = [];
  for (const token of text.split(",")) {
    if (token === FAILED_TOKEN) out.push(null);
    else {
      const n = Number(token);
      if (token !== "" && Number.isFinite(n) && n >= 0) out.push(n);
    }
  }
  return out.length > POLL_HISTORY ? out.slice(-POLL_HISTORY) : out;
}

export function appendPoll(outcomes: readonly PollOutcome[], outcome: PollOutcome): PollOutcome[] {
  const next = outcomes.length >= POLL_HISTORY ? outcomes.slice(1 - POLL_HISTORY) : outcomes.slice();
  next.push(outcome);
  return next;
}

export interface LinkAssessment {
  polls: number;
  failures: number;
  /** separate runs of failed polls in the window */
  drops: number;
  /** failed polls at the end of the window, in a row */
  trailingFailures: number;
  /** failed polls in several drops within the window, whatever the latest polls say */
  hasFlaps: boolean;
  /** flapping, and not (or not yet) down: as the health model shows the link */
  isIntermittent: boolean;
  /** median per-request latency of the latest successful polls; null without any */
  latencyMs: number | null;
  isSlow: boolean;
  /** index (in the outcomes) of the window's first failure, where an intermittent run began */
  firstFailureIndex: number | null;
}

const STEADY: LinkAssessment = Object.freeze({
  polls: 0,
  failures: 0,
  drops: 0,
  trailingFailures: 0,
  hasFlaps: false,
  isIntermittent: false,
  latencyMs: null,
  isSlow: false,
  firstFailureIndex: null,
});

export function assessLink(outcomes: readonly PollOutcome[]): LinkAssessment {
  if (outcomes.length === 0) return STEADY;
  let failures = 0;
  let drops = 0;
  let firstFailureIndex: number | null = null;
  let previous: PollOutcome | undefined;
  const latencies: number[] = [];
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i] as PollOutcome;
    if (o === null) {
      failures++;
      if (previous !== null) drops++;
      firstFailureIndex ??= i;
    }
    previous = o;
  }
  let trailingFailures = 0;
  while (trailingFailures < outcomes.length && outcomes[outcomes.length - 1 - trailingFailures] === null)
    trailingFailures++;
  for (let i = outcomes.length - 1; i >= 0 && latencies.length < SLOW_SAMPLE; i--) {
    const o = outcomes[i];
    if (o !== null && o !== undefined) latencies.push(o);
  }
  const latencyMs = median(latencies);
  const hasFlaps = failures >= INTERMITTENT_MIN_FAILURES && drops >= INTERMITTENT_MIN_DROPS;
  return {
    polls: outcomes.length,
    failures,
    drops,
    trailingFailures,
    hasFlaps,
    isIntermittent: hasFlaps && trailingFailures < OUTAGE_AFTER_FAILURES,
    latencyMs,
    isSlow: latencyMs !== null && latencyMs >= SLOW_REQUEST_MS,
    firstFailureIndex,
  };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

/** "4.1 s" / "850 ms" per request. */
export function formatLatency(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
}

/** "6 of the last 12 polls failed" */
export function failedPollsText(link: Pick<LinkAssessment, "failures" | "polls">): string {
  return `${link.failures} of the last ${link.polls} polls failed`;
}

/**
 * What the health model shows of a link record, as one comparable text: state,
 * the counts its sentences name, the latency only while slow (a steady link's
 * latency moves with every poll and changes nothing shown), and since when.
 * Two records with the same key give the same health.
 */
export function linkStateKey(
  outcomes: readonly PollOutcome[],
  flapSince: number | string | null,
  slowSince: number | string | null,
): string {
  const a = assessLink(outcomes);
  const latency = a.isSlow && a.latencyMs !== null ? formatLatency(a.latencyMs) : "";
  return [a.isIntermittent, a.isSlow, a.failures, a.polls, latency, flapSince, slowSince].join(",");
}
