// What one poll changes in a cluster's link record and contact history. Pure:
// the collector feeds it every poll outcome and writes what comes out.
//
// Contact history keeps state changes, not polls: "reached", "lost", and for a
// link that fails and recovers by turns one *intermittent run* row (start, end,
// polls, failures) instead of a row per flap. When a run is detected, the
// up/down rows it began with are folded into it. While a cluster stays down
// (or a run lasts) the row also follows the failure happening now: a connection
// reset that turns into refusals says "connection refused", and that it began
// as a reset.

import {
  appendPoll,
  assessLink,
  type LinkAssessment,
  POLL_HISTORY,
  type PollOutcome,
} from "@/lib/health/link";
import type { ReachErrorClass } from "@/lib/kube/error-class";

export interface LinkRecord {
  /** latest outcomes, oldest first (persisted) */
  outcomes: PollOutcome[];
  /** when each outcome was polled; null where unknown (restored after a restart). Memory only. */
  times: (number | null)[];
  /** whether the latest poll reached the cluster; null before the first */
  isReachable: boolean | null;
  /** start of the open intermittent run, polls and failures in it so far (persisted) */
  flapSince: number | null;
  flapPolls: number;
  flapFailures: number;
  /** when the link turned slow (persisted) */
  slowSince: number | null;
  /**
   * the failure class the open down row or run row says is happening now; null while up
   * (restored from the status row's last error after a restart)
   */
  failureClass: string | null;
}

export function emptyLinkRecord(): LinkRecord {
  return {
    outcomes: [],
    times: [],
    isReachable: null,
    flapSince: null,
    flapPolls: 0,
    flapFailures: 0,
    slowSince: null,
    failureClass: null,
  };
}

export interface PollFailure {
  errorClass: ReachErrorClass;
  message: string;
}

export type ContactOp =
  | { op: "event"; at: number; kind: "up" | "down"; failure: PollFailure | null }
  /** fold the up/down rows at or after `at` into a new run row */
  | { op: "run-start"; at: number; polls: number; failures: number; failure: PollFailure | null }
  | { op: "run-end"; at: number; polls: number; failures: number }
  /** the open down row (or run row) gets the failure happening now, a different class than it says */
  | { op: "failure-changed"; at: number; row: "down" | "intermittent"; failure: PollFailure }
  /** the server presents a different, still trusted certificate (renewed) */
  | { op: "cert-changed"; at: number; message: string };

export interface PollRecorded {
  record: LinkRecord;
  link: LinkAssessment;
  ops: ContactOp[];
}

/**
 * One poll's effect. `outcome` is the poll's per-request latency, or null when it
 * failed (then `failure` says why); `intervalMs` dates outcomes whose time was lost.
 */
export function recordPoll(
  prev: LinkRecord,
  at: number,
  outcome: PollOutcome,
  failure: PollFailure | null,
  intervalMs: number,
): PollRecorded {
  let outcomes = appendPoll(prev.outcomes, outcome);
  let times = appendTimes(prev.times, at);
  const isUp = outcome !== null;
  let link = assessLink(outcomes);
  const ops: ContactOp[] = [];
  let { flapSince, flapPolls, flapFailures } = prev;
  const timeOf = (i: number) => times[i] ?? at - (outcomes.length - 1 - i) * intervalMs;

  if (flapSince === null && link.isIntermittent) {
    const first = link.firstFailureIndex ?? outcomes.length - 1;
    flapSince = timeOf(first);
    flapPolls = outcomes.length - first;
    flapFailures = outcomes.slice(first).filter((o) => o === null).length;
    ops.push({ op: "run-start", at: flapSince, polls: flapPolls, failures: flapFailures, failure });
  } else if (flapSince !== null && link.hasFlaps) {
    // Still flapping, or briefly down amid the flaps: the same run.
    flapPolls++;
    if (!isUp) flapFailures++;
  } else if (flapSince !== null) {
    const streak = link.trailingFailures;
    if (streak > 0) {
      // The flaps slid out of the window while the polls kept failing: the run ended where
      // this outage began, and the history before it no longer speaks about the link.
      const outageAt = timeOf(outcomes.length - streak);
      ops.push({
        op: "run-end",
        at: outageAt,
        polls: flapPolls + 1 - streak,
        failures: flapFailures + 1 - streak,
      });
      ops.push({ op: "event", at: outageAt, kind: "down", failure });
      outcomes = outcomes.slice(-streak);
      times = times.slice(-streak);
      link = assessLink(outcomes);
    } else {
      ops.push({ op: "run-end", at, polls: flapPolls + 1, failures: flapFailures });
      ops.push({ op: "event", at, kind: "up", failure: null });
    }
    flapSince = null;
    flapPolls = 0;
    flapFailures = 0;
  } else if (prev.isReachable !== isUp) {
    ops.push({ op: "event", at, kind: isUp ? "up" : "down", failure });
  }

  let failureClass: string | null = flapSince === null && isUp ? null : prev.failureClass;
  if (failure) {
    const opened = ops.some((o) => o.op === "run-start" || (o.op === "event" && o.kind === "down"));
    if (!opened && failure.errorClass !== failureClass && (flapSince !== null || prev.isReachable === false))
      ops.push({ op: "failure-changed", at, row: flapSince !== null ? "intermittent" : "down", failure });
    failureClass = failure.errorClass;
  }

  let slowSince = prev.slowSince;
  if (!link.isSlow) slowSince = null;
  else slowSince ??= at;

  return {
    record: {
      outcomes,
      times,
      isReachable: isUp,
      flapSince,
      flapPolls,
      flapFailures,
      slowSince,
      failureClass,
    },
    link,
    ops,
  };
}

function appendTimes(times: readonly (number | null)[], at: number): (number | null)[] {
  const next = times.length >= POLL_HISTORY ? times.slice(1 - POLL_HISTORY) : times.slice();
  next.push(at);
  return next;
}
