// When a group of alerts is worth a notification, Alertmanager's way: group by
// rule and site; wait `group wait` before the first message so alerts firing
// together arrive together; then at most one message per `group interval`
// when something changed (new firing, resolved), and a reminder every `repeat
// interval` while anything is firing. An alert that resolves within the group
// wait never notifies. Pure: the group's memory of what it said is a value.

export type Mute = "maintenance" | "expected-offline" | "silenced" | "site-unreachable";

export interface GroupAlert {
  fingerprint: string;
  /** the instance's transition count: fingerprint + seq identifies this change for receivers */
  seq: number;
  /** firing or clearing */
  isOpen: boolean;
  /** the current episode's start (event time); a new episode is a new alert for receivers */
  firingSince: number | null;
  severity: "warning" | "critical" | null;
  /** muted alerts stay visible but are not announced (their resolution still is) */
  mutedBy: Mute | null;
  /** the evaluator learned of the current episode late (buffered data): sent at once, as a summary */
  isLate: boolean;
}

export interface NotifiedAlert {
  seq: number;
  firingSince: number | null;
  severity: "warning" | "critical" | null;
}

export interface GroupState {
  /** when the group first had something new to say since its last message (group wait runs from here) */
  pendingSince: number | null;
  lastFlushAt: number | null;
  /** alerts receivers were told are firing, by fingerprint */
  notified: Record<string, NotifiedAlert>;
  /** messages sent so far; part of each message's idempotency key */
  flushes: number;
}

export interface Timing {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export type FlushReason = "first" | "changed" | "repeat" | "late";

export interface Flush {
  reason: FlushReason;
  /** every unmuted open alert of the group (receivers always get the whole group) */
  firing: GroupAlert[];
  /** alerts receivers were told about that are over; fingerprints of vanished ones have no GroupAlert */
  resolved: { fingerprint: string; alert: GroupAlert | null; notified: NotifiedAlert }[];
  status: "firing" | "resolved";
}

export function emptyGroup(): GroupState {
  return { pendingSince: null, lastFlushAt: null, notified: {}, flushes: 0 };
}

function isNew(a: GroupAlert, n: NotifiedAlert | undefined): boolean {
  return !n || n.firingSince !== a.firingSince || (a.severity === "critical" && n.severity !== "critical");
}

export function planFlush(
  group: GroupState,
  alerts: readonly GroupAlert[],
  now: number,
  timing: Timing,
): { flush: Flush | null; next: GroupState } {
  const byFp = new Map(alerts.map((a) => [a.fingerprint, a]));
  const firing = alerts.filter((a) => a.isOpen && a.mutedBy === null);
  const fresh = firing.filter((a) => isNew(a, group.notified[a.fingerprint]));
  const resolved: Flush["resolved"] = [];
  for (const [fp, notified] of Object.entries(group.notified)) {
    const a = byFp.get(fp);
    // Over, or gone (its rule or site removed); a muted alert that is still open stays told,
    // and one that fired again since is simply firing (with its new start).
    if (!a?.isOpen) resolved.push({ fingerprint: fp, alert: a ?? null, notified });
  }
  const hasToldFiring = Object.keys(group.notified).length > 0;
  const hasNews = fresh.length > 0 || resolved.length > 0;
  const next: GroupState = { ...group, notified: { ...group.notified } };
  if (!hasNews) next.pendingSince = null;
  else next.pendingSince ??= now;

  let reason: FlushReason | null = null;
  if (hasNews && fresh.some((a) => a.isLate) && !hasToldFiring) reason = "late";
  else if (hasNews && !hasToldFiring) {
    if (now - (next.pendingSince ?? now) >= timing.groupWaitMs) reason = "first";
  } else if (hasNews) {
    if (group.lastFlushAt === null || now - group.lastFlushAt >= timing.groupIntervalMs) reason = "changed";
  } else if (
    firing.length > 0 &&
    group.lastFlushAt !== null &&
    now - group.lastFlushAt >= timing.repeatIntervalMs
  ) {
    reason = "repeat";
  }
  if (!reason) return { flush: null, next };

  for (const r of resolved) delete next.notified[r.fingerprint];
  for (const a of firing)
    next.notified[a.fingerprint] = { seq: a.seq, firingSince: a.firingSince, severity: a.severity };
  next.pendingSince = null;
  next.lastFlushAt = now;
  next.flushes = group.flushes + 1;
  return {
    flush: { reason, firing, resolved, status: firing.length > 0 ? "firing" : "resolved" },
    next,
  };
}
