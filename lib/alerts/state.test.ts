import { describe, expect, it } from "vitest";
import {
  BOOLEAN_LEVELS,
  booleanSample,
  type InstanceState,
  initialState,
  isNotifiable,
  type Levels,
  type Periods,
  replay,
  type Sample,
  step,
} from "./state";

const S = 1_000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 1, 12);
const EVERY = 15 * S;
const LEVELS: Levels = { level: 80, critical: null, clearMargin: 3 };
const PERIODS: Periods = { forMs: 2 * MIN, clearForMs: 5 * MIN };

/** One sample per evaluation (15 s), the i-th ending at T0 + (i+1) × 15 s. */
function samples(values: (number | null)[], start = T0): Sample[] {
  return values.map((value, i) => ({ from: start + i * EVERY, to: start + (i + 1) * EVERY, value }));
}

function run(values: (number | null)[], levels = LEVELS, periods = PERIODS, start = initialState()) {
  return replay(start, samples(values), levels, periods);
}

const kinds = (r: { transitions: { kind: string }[] }) => r.transitions.map((t) => t.kind);
const repeat = (v: number, n: number) => Array.from({ length: n }, () => v);

describe("pending period", () => {
  it("fires once the value has stayed above the level for the pending period", () => {
    // 2 min = 8 windows of 15 s after the first crossing.
    const r = run(repeat(85, 9));
    expect(kinds(r)).toEqual(["pending", "firing"]);
    const firing = r.transitions[1];
    expect(firing?.at).toBe(T0 + 9 * EVERY);
    expect(firing?.at ? firing.at - (r.state.activeSince ?? 0) : 0).toBe(2 * MIN);
    expect(r.state).toMatchObject({ phase: "firing", severity: "warning", firedLevel: 80, seq: 2 });
  });

  it("does not fire one window early", () => {
    expect(run(repeat(85, 8)).state.phase).toBe("pending");
  });

  it("the level itself is not above it", () => {
    expect(kinds(run(repeat(80, 20)))).toEqual([]);
    expect(kinds(run([80.01]))).toEqual(["pending"]);
  });

  it("falls back to normal when the value drops to the clear level while pending", () => {
    const r = run([85, 85, 77, 85]);
    expect(kinds(r)).toEqual(["pending", "cancelled", "pending"]);
    expect(r.state.activeSince).toBe(T0 + 4 * EVERY);
  });

  it("keeps pending through dips that stay above the clear level", () => {
    const r = run([85, 79, 78, 79, 81, 79, 78, 79, 82]);
    expect(kinds(r)).toEqual(["pending", "firing"]);
  });

  it("needs a fresh crossing once the period is over: a spike then a flat 79 °C never fires", () => {
    const r = run([81, ...repeat(79, 20)]);
    expect(kinds(r)).toEqual(["pending", "cancelled"]);
    // Cancelled exactly when the last crossing is one pending period old.
    expect(r.transitions[1]?.at).toBe(T0 + EVERY + 2 * MIN);
  });

  it("fires at once with no pending period", () => {
    const r = run([85], LEVELS, { forMs: 0, clearForMs: 0 });
    expect(kinds(r)).toEqual(["firing"]);
  });
});

describe("hysteresis and the clear period", () => {
  const firing = () => run(repeat(85, 9)).state;

  it("jitter between 78 and 83 °C around 80 (clear 77) fires once and resolves once", () => {
    const jitter = Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 83 : i % 3 === 1 ? 78 : 80.5));
    const cool = repeat(76, 25);
    const r = run([...jitter, ...cool]);
    const notified = r.transitions.filter((t) => isNotifiable(t.kind));
    expect(notified.map((t) => t.kind)).toEqual(["firing", "resolved"]);
    expect(kinds(r)).toEqual(["pending", "firing", "clearing", "resolved"]);
    // Resolved after exactly five minutes at or below 77 °C.
    const clearing = r.transitions.find((t) => t.kind === "clearing");
    const resolved = r.transitions.find((t) => t.kind === "resolved");
    expect((resolved?.at ?? 0) - (clearing?.at ?? 0)).toBe(5 * MIN);
  });

  it("at the clear level counts as cleared; just above does not", () => {
    expect(replay(firing(), samples([77], T0 + 10 * MIN), LEVELS, PERIODS).state.phase).toBe("clearing");
    expect(replay(firing(), samples([77.01], T0 + 10 * MIN), LEVELS, PERIODS).state.phase).toBe("firing");
  });

  it("goes back to firing (same incident, nothing to notify) when the value rises above the clear level while clearing", () => {
    const r = replay(firing(), samples([76, 76, 78, 76], T0 + 10 * MIN), LEVELS, PERIODS);
    expect(kinds(r)).toEqual(["clearing", "refiring", "clearing"]);
    expect(r.transitions.filter((t) => isNotifiable(t.kind))).toEqual([]);
    expect(r.state.firingSince).toBe(T0 + 9 * EVERY);
  });

  it("does not resolve one window before the clear period", () => {
    const r = replay(firing(), samples(repeat(70, 20), T0 + 10 * MIN), LEVELS, PERIODS);
    expect(r.state.phase).toBe("clearing");
    const r2 = replay(firing(), samples(repeat(70, 21), T0 + 10 * MIN), LEVELS, PERIODS);
    expect(r2.state.phase).toBe("normal");
  });

  it("resolves at once with no clear period", () => {
    const r = replay(firing(), samples([70], T0 + 10 * MIN), LEVELS, { ...PERIODS, clearForMs: 0 });
    expect(kinds(r)).toEqual(["resolved"]);
    expect(r.state).toMatchObject({
      phase: "normal",
      firedLevel: null,
      severity: null,
      resolvedAt: T0 + 10 * MIN + EVERY,
    });
  });

  it("clears from the level it fired at, even when the threshold changes while firing", () => {
    const raised = { ...LEVELS, level: 90 };
    // Fired at 80: clear level stays 77, so 85 keeps it firing under a raised 90 °C level…
    expect(replay(firing(), samples([85], T0 + 10 * MIN), raised, PERIODS).state.phase).toBe("firing");
    // …and 77 clears it.
    expect(replay(firing(), samples([77], T0 + 10 * MIN), raised, PERIODS).state.phase).toBe("clearing");
  });

  it("a custom margin moves the clear level", () => {
    const wide = { ...LEVELS, clearMargin: 10 };
    const s = run(repeat(85, 9), wide).state;
    expect(replay(s, samples([71], T0 + 10 * MIN), wide, PERIODS).state.phase).toBe("firing");
    expect(replay(s, samples([70], T0 + 10 * MIN), wide, PERIODS).state.phase).toBe("clearing");
  });
});

describe("severity", () => {
  const crit: Levels = { level: 80, critical: 90, clearMargin: 3 };

  it("fires critical when the value is above critical at firing time", () => {
    expect(run(repeat(95, 9), crit).state.severity).toBe("critical");
  });

  it("escalates once while firing, and never downgrades within the incident", () => {
    const r = run([...repeat(85, 9), 91, 95, 85, 92], crit);
    expect(kinds(r)).toEqual(["pending", "firing", "escalated"]);
    expect(r.state.severity).toBe("critical");
    expect(r.transitions[2]).toMatchObject({ severity: "critical", seq: 3, value: 91 });
  });

  it("the critical level itself is not above it", () => {
    expect(run(repeat(90, 9), crit).state.severity).toBe("warning");
  });
});

describe("data gaps, order and replays", () => {
  it("no data holds the state and the watermark, so buffered points of the gap still count later", () => {
    const r = run([...repeat(85, 9), null, null, null]);
    expect(r.state.phase).toBe("firing");
    expect(r.state.evaluatedThrough).toBe(T0 + 9 * EVERY);
    expect(r.state.valueAt).toBe(T0 + 9 * EVERY);
    const late = replay(r.state, samples(repeat(70, 3), T0 + 9 * EVERY), LEVELS, PERIODS);
    expect(kinds(late)).toEqual(["clearing"]);
  });

  it("a window already applied is ignored (watermark), so replays change nothing", () => {
    const first = run(repeat(85, 9));
    const again = replay(first.state, samples(repeat(70, 9)), LEVELS, PERIODS);
    expect(again.transitions).toEqual([]);
    expect(again.state).toEqual(first.state);
  });

  it("replay sorts late samples into event time", () => {
    const ordered = samples(repeat(85, 9));
    const shuffled = [...ordered].reverse();
    expect(replay(initialState(), shuffled, LEVELS, PERIODS).state).toEqual(
      replay(initialState(), ordered, LEVELS, PERIODS).state,
    );
  });

  it("restarting from the persisted state continues where it was", () => {
    const all = samples([...repeat(85, 12), ...repeat(70, 25)]);
    const straight = replay(initialState(), all, LEVELS, PERIODS);
    // Persist after every window (as JSON, like the database row), then resume.
    let state: InstanceState = initialState();
    const transitions = [];
    for (const s of all) {
      const r = step(JSON.parse(JSON.stringify(state)) as InstanceState, s, LEVELS, PERIODS);
      state = r.state;
      transitions.push(...r.transitions);
    }
    expect(state).toEqual(straight.state);
    expect(transitions).toEqual(straight.transitions);
  });

  it("counts transitions: seq makes each notification-worthy change unique", () => {
    const r = run([...repeat(85, 9), ...repeat(70, 21), ...repeat(85, 9)]);
    expect(r.transitions.map((t) => [t.kind, t.seq])).toEqual([
      ["pending", 1],
      ["firing", 2],
      ["clearing", 3],
      ["resolved", 4],
      ["pending", 5],
      ["firing", 6],
    ]);
  });

  it("ignores values that are not finite", () => {
    expect(run([Number.NaN, Number.POSITIVE_INFINITY]).transitions).toEqual([]);
  });
});

describe("yes/no conditions", () => {
  it("site unreachable, NotReady and sensor silent use the same machine", () => {
    const periods = { forMs: 30 * S, clearForMs: 0 };
    const seq = [true, true, true, false].map((b, i) =>
      booleanSample(T0 + i * EVERY, T0 + (i + 1) * EVERY, b),
    );
    const r = replay(initialState(), seq, BOOLEAN_LEVELS, periods);
    expect(kinds(r)).toEqual(["pending", "firing", "resolved"]);
    const blip = [true, false].map((b, i) => booleanSample(T0 + i * EVERY, T0 + (i + 1) * EVERY, b));
    expect(kinds(replay(initialState(), blip, BOOLEAN_LEVELS, periods))).toEqual(["pending", "cancelled"]);
  });

  it("unknown (null) holds", () => {
    const r = replay(initialState(), [booleanSample(T0, T0 + EVERY, null)], BOOLEAN_LEVELS, PERIODS);
    expect(r.state.phase).toBe("normal");
  });
});
