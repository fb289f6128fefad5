// The alert instance state machine, pure and in event time: every decision
// comes from (state, sample, levels, periods), and all time is the sample's.
//
//   normal ──above level──▶ pending ──held for `for`──▶ firing ──at/below clear──▶ clearing ──held for `clear for`──▶ normal (resolved)
//              ▲                │                         ▲   │                        │
//              └──fell to clear─┘ (or no crossing for `for`)   └──────above clear────────┘ (same incident, no new notification)
//
// Hysteresis applies from the first crossing: a value jittering between the
// level and the clear level keeps an alert pending (and then firing) instead of
// starting over at every dip, so 78–83 °C around an 80 °C level (clear 77 °C)
// fires once and resolves once. Firing needs a fresh crossing once the pending
// period is over, so a single spike followed by a flat 79 °C never fires.

export type Phase = "normal" | "pending" | "firing" | "clearing";
export type Severity = "warning" | "critical";

export interface Levels {
  /** fires above this */
  level: number;
  /** escalates to critical above this (optional) */
  critical: number | null;
  /** how far under the level it fired at the value must fall to clear (> 0) */
  clearMargin: number;
}

export interface Periods {
  /** the condition must hold this long before firing (0 = at once) */
  forMs: number;
  /** at or below the clear level this long before resolving (0 = at once) */
  clearForMs: number;
}

export interface InstanceState {
  phase: Phase;
  severity: Severity | null;
  /** event time of the first crossing of the current episode (pending or firing) */
  activeSince: number | null;
  /** event time the instance started firing (Alertmanager's startsAt) */
  firingSince: number | null;
  /** last event time the value was above the level */
  lastAboveAt: number | null;
  /** event time it fell to the clear level (clearing) */
  clearingSince: number | null;
  /** the level it fired at: the clear level is measured from it */
  firedLevel: number | null;
  /** the last value seen and its event time */
  value: number | null;
  valueAt: number | null;
  /** highest value of the current episode */
  peak: number | null;
  /** transitions so far: fingerprint + seq identifies one notification-worthy change */
  seq: number;
  /** event-time watermark: samples up to here have been applied */
  evaluatedThrough: number | null;
  /** when it last resolved (event time) */
  resolvedAt: number | null;
}

export type TransitionKind =
  | "pending" // normal → pending
  | "cancelled" // pending → normal, never fired
  | "firing" // pending → firing (or normal → firing with no pending period)
  | "escalated" // firing → firing, now critical
  | "clearing" // firing → clearing
  | "refiring" // clearing → firing, the same incident
  | "resolved"; // clearing → normal (or firing → normal with no clear period)

export interface Transition {
  kind: TransitionKind;
  from: Phase;
  to: Phase;
  /** event time */
  at: number;
  value: number | null;
  level: number;
  severity: Severity | null;
  /** the instance's seq after this transition */
  seq: number;
}

/** Transitions a receiver hears about; the others are history only. */
export function isNotifiable(kind: TransitionKind): boolean {
  return kind === "firing" || kind === "escalated" || kind === "resolved";
}

/** Firing or clearing: the incident is open. */
export function isOpen(phase: Phase): boolean {
  return phase === "firing" || phase === "clearing";
}

export function initialState(): InstanceState {
  return {
    phase: "normal",
    severity: null,
    activeSince: null,
    firingSince: null,
    lastAboveAt: null,
    clearingSince: null,
    firedLevel: null,
    value: null,
    valueAt: null,
    peak: null,
    seq: 0,
    evaluatedThrough: null,
    resolvedAt: null,
  };
}

/** One evaluation window: the highest value with event time in (from, to]; null when no point. */
export interface Sample {
  from: number;
  to: number;
  value: number | null;
}

/** The clear level of an instance right now: from the level it fired at, else the current level. */
export function clearLevel(s: InstanceState, levels: Levels): number {
  return (s.firedLevel ?? levels.level) - levels.clearMargin;
}

function severityOf(value: number, levels: Levels): Severity {
  return levels.critical !== null && value > levels.critical ? "critical" : "warning";
}

/**
 * Applies one sample. A sample at or before the watermark is ignored (already
 * applied), so replays and overlapping windows are harmless; no data holds
 * the state and the watermark (the sensor-silent rule speaks for silence).
 */
export function step(
  prev: InstanceState,
  sample: Sample,
  levels: Levels,
  periods: Periods,
): { state: InstanceState; transitions: Transition[] } {
  if (prev.evaluatedThrough !== null && sample.to <= prev.evaluatedThrough)
    return { state: prev, transitions: [] };
  const v = sample.value;
  // The watermark moves with data only: points a site buffered through a gap
  // are still ahead of it when they arrive, and get evaluated then.
  if (v === null || !Number.isFinite(v)) return { state: prev, transitions: [] };
  const s: InstanceState = { ...prev, evaluatedThrough: sample.to };
  const t = sample.to;
  s.value = v;
  s.valueAt = t;
  const out: Transition[] = [];
  const move = (kind: TransitionKind, to: Phase) => {
    const from = s.phase;
    s.phase = to;
    s.seq += 1;
    out.push({
      kind,
      from,
      to,
      at: t,
      value: v,
      level: s.firedLevel ?? levels.level,
      severity: s.severity,
      seq: s.seq,
    });
  };
  const isAbove = v > levels.level;
  if (isAbove) s.lastAboveAt = t;
  if (s.phase !== "normal") s.peak = Math.max(s.peak ?? v, v);

  switch (s.phase) {
    case "normal": {
      if (!isAbove) break;
      s.activeSince = t;
      s.peak = v;
      if (periods.forMs <= 0) {
        fire(s, v, levels, t);
        move("firing", "firing");
      } else {
        move("pending", "pending");
      }
      break;
    }
    case "pending": {
      if (v <= levels.level - levels.clearMargin || t - (s.lastAboveAt ?? t) >= periods.forMs) {
        resetEpisode(s);
        move("cancelled", "normal");
        break;
      }
      if (isAbove && t - (s.activeSince ?? t) >= periods.forMs) {
        fire(s, v, levels, t);
        move("firing", "firing");
      }
      break;
    }
    case "firing": {
      if (v <= clearLevel(s, levels)) {
        if (periods.clearForMs <= 0) {
          resolve(s, t);
          move("resolved", "normal");
        } else {
          s.clearingSince = t;
          move("clearing", "clearing");
        }
      } else if (s.severity !== "critical" && severityOf(v, levels) === "critical") {
        s.severity = "critical";
        move("escalated", "firing");
      }
      break;
    }
    case "clearing": {
      if (v > clearLevel(s, levels)) {
        s.clearingSince = null;
        move("refiring", "firing");
        if (s.severity !== "critical" && severityOf(v, levels) === "critical") {
          s.severity = "critical";
          move("escalated", "firing");
        }
      } else if (t - (s.clearingSince ?? t) >= periods.clearForMs) {
        resolve(s, t);
        move("resolved", "normal");
      }
      break;
    }
  }
  return { state: s, transitions: out };
}

function fire(s: InstanceState, v: number, levels: Levels, t: number): void {
  s.firingSince = t;
  s.firedLevel = levels.level;
  s.severity = severityOf(v, levels);
}

function resetEpisode(s: InstanceState): void {
  s.activeSince = null;
  s.firingSince = null;
  s.clearingSince = null;
  s.firedLevel = null;
  s.severity = null;
  s.peak = null;
}

function resolve(s: InstanceState, t: number): void {
  s.resolvedAt = t;
  resetEpisode(s);
}

/** Replays samples in event-time order (late data, previews); returns the end state and every transition. */
export function replay(
  start: InstanceState,
  samples: readonly Sample[],
  levels: Levels,
  periods: Periods,
): { state: InstanceState; transitions: Transition[] } {
  let state = start;
  const transitions: Transition[] = [];
  for (const sample of [...samples].sort((a, b) => a.to - b.to)) {
    const r = step(state, sample, levels, periods);
    state = r.state;
    transitions.push(...r.transitions);
  }
  return { state, transitions };
}

/** A yes/no condition (site unreachable, NotReady, sensor silent) on the same machine: 1 above 0.5, clears at 0. */
export const BOOLEAN_LEVELS: Levels = { level: 0.5, critical: null, clearMargin: 0.5 };

export function booleanSample(from: number, to: number, isTrue: boolean | null): Sample {
  return { from, to, value: isTrue === null ? null : isTrue ? 1 : 0 };
}
