// The life of one target (one cluster in one rollout). Every state carries a
// reason and since when; transitions outside this table are bugs and throw.
// Pure: the caller passes `now`.

export const TARGET_STATES = [
  "queued",
  "waiting-window",
  "held",
  "waiting-site",
  "preflight",
  "applying",
  "rolling-out",
  "ready",
  "failed",
  "expired",
  "rolled-back",
  "cancelled",
] as const;

export type TargetState = (typeof TARGET_STATES)[number];

/** Why a target failed; the detail is in its reason. */
export type FailureKind =
  | "conflict"
  | "rejected"
  | "timeout"
  | "image-pull"
  | "crash-loop"
  | "unhealthy"
  | "site-degraded"
  | "error";

/** Nothing more will happen to these. */
export const TERMINAL_STATES: ReadonlySet<TargetState> = new Set([
  "ready",
  "failed",
  "expired",
  "rolled-back",
  "cancelled",
]);

/** Waiting for something outside the rollout: the site, its window, its maintenance. Not failures. */
export const DEFERRED_STATES: ReadonlySet<TargetState> = new Set(["waiting-window", "held", "waiting-site"]);

/** Holding a slot of maxInFlight. */
export const IN_FLIGHT_STATES: ReadonlySet<TargetState> = new Set(["preflight", "applying", "rolling-out"]);

/** Not started yet, or waiting to be started when its site allows. */
export const STARTABLE_STATES: ReadonlySet<TargetState> = new Set(["queued", ...DEFERRED_STATES]);

const TRANSITIONS: Readonly<Record<TargetState, readonly TargetState[]>> = {
  queued: ["waiting-window", "held", "waiting-site", "preflight", "expired", "cancelled"],
  "waiting-window": ["queued", "held", "waiting-site", "preflight", "expired", "cancelled"],
  held: ["queued", "waiting-window", "waiting-site", "preflight", "expired", "cancelled"],
  "waiting-site": ["queued", "waiting-window", "held", "preflight", "expired", "cancelled"],
  // A timed-out request during preflight or apply means the site went away: wait for it, re-apply
  // when back (server-side apply is idempotent).
  preflight: ["applying", "rolling-out", "failed", "waiting-site", "cancelled"],
  applying: ["rolling-out", "failed", "waiting-site", "cancelled"],
  "rolling-out": ["ready", "failed", "waiting-site", "cancelled"],
  // A ready target can still fail its soak re-check, and a rollback can return it to the old revision.
  ready: ["failed", "rolled-back"],
  // Resume with retry, or a rollback.
  failed: ["queued", "rolled-back"],
  expired: ["queued"],
  "rolled-back": [],
  cancelled: [],
};

export function canTransition(from: TargetState, to: TargetState): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalTransition extends Error {
  constructor(
    readonly from: TargetState,
    readonly to: TargetState,
  ) {
    super(`a target cannot go from ${from} to ${to}`);
  }
}

export interface TargetStatus {
  state: TargetState;
  reason: string;
  /** ms since epoch the state began */
  since: number;
  failure: FailureKind | null;
  /** when the target first had to wait for its site (expiry counts from here); cleared once applied */
  waitingSince: number | null;
}

export function transition<T extends TargetStatus>(
  target: T,
  to: TargetState,
  reason: string,
  now: number,
  failure: FailureKind | null = null,
): T {
  if (target.state === to) {
    // Same state, new reason (a longer wait, a new maintenance end): keep "since".
    return target.reason === reason ? target : { ...target, reason };
  }
  if (!canTransition(target.state, to)) throw new IllegalTransition(target.state, to);
  const waitingSince = DEFERRED_STATES.has(to)
    ? (target.waitingSince ?? now)
    : to === "queued" || to === "preflight"
      ? target.waitingSince
      : IN_FLIGHT_STATES.has(to) || TERMINAL_STATES.has(to)
        ? null
        : target.waitingSince;
  return {
    ...target,
    state: to,
    reason,
    since: now,
    failure: to === "failed" ? (failure ?? "error") : null,
    waitingSince,
  };
}

/** A deferred target whose site did not come back within the expiry. */
export function isExpired(
  target: Pick<TargetStatus, "state" | "waitingSince">,
  expiryMs: number,
  now: number,
): boolean {
  return (
    DEFERRED_STATES.has(target.state) && target.waitingSince !== null && now - target.waitingSince >= expiryMs
  );
}

/** Which bucket of the progress bar a state counts in. */
export type ProgressBucket = "done" | "inFlight" | "waiting" | "failed" | "other";

export function progressBucket(state: TargetState): ProgressBucket {
  if (state === "ready" || state === "rolled-back") return "done";
  if (IN_FLIGHT_STATES.has(state)) return "inFlight";
  if (state === "queued" || DEFERRED_STATES.has(state)) return "waiting";
  if (state === "failed" || state === "expired") return "failed";
  return "other";
}

export const STATE_LABEL: Readonly<Record<TargetState, string>> = {
  queued: "queued",
  "waiting-window": "waiting for window",
  held: "held (maintenance)",
  "waiting-site": "waiting for site",
  preflight: "preflight",
  applying: "applying",
  "rolling-out": "rolling out",
  ready: "ready",
  failed: "failed",
  expired: "expired",
  "rolled-back": "rolled back",
  cancelled: "cancelled",
};
