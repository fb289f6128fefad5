import { describe, expect, it } from "vitest";
import { emptyGroup, type GroupAlert, type GroupState, planFlush, type Timing } from "./notify";

const S = 1_000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 1, 12);
const TIMING: Timing = { groupWaitMs: 30 * S, groupIntervalMs: 5 * MIN, repeatIntervalMs: 4 * 60 * MIN };

function alert(fp: string, over: Partial<GroupAlert> = {}): GroupAlert {
  return {
    fingerprint: fp,
    seq: 2,
    isOpen: true,
    firingSince: T0,
    severity: "warning",
    mutedBy: null,
    isLate: false,
    ...over,
  };
}

/** Runs the planner at each time with the alerts given for that time; returns what was sent. */
function timeline(steps: [number, GroupAlert[]][], start: GroupState = emptyGroup()) {
  let g = start;
  const sent: { at: number; reason: string; firing: string[]; resolved: string[] }[] = [];
  for (const [at, alerts] of steps) {
    const { flush, next } = planFlush(g, alerts, at, TIMING);
    g = next;
    if (flush)
      sent.push({
        at,
        reason: flush.reason,
        firing: flush.firing.map((a) => a.fingerprint),
        resolved: flush.resolved.map((r) => r.fingerprint),
      });
  }
  return { sent, group: g };
}

describe("group wait", () => {
  it("waits 30 s, then sends every alert that fired meanwhile in one message", () => {
    const { sent } = timeline([
      [T0, [alert("a")]],
      [T0 + 15 * S, [alert("a"), alert("b")]],
      [T0 + 29 * S, [alert("a"), alert("b")]],
      [T0 + 30 * S, [alert("a"), alert("b")]],
    ]);
    expect(sent).toEqual([{ at: T0 + 30 * S, reason: "first", firing: ["a", "b"], resolved: [] }]);
  });

  it("an alert that resolves within the group wait never notifies", () => {
    const { sent, group } = timeline([
      [T0, [alert("a")]],
      [T0 + 15 * S, [alert("a", { isOpen: false })]],
      [T0 + 60 * S, [alert("a", { isOpen: false })]],
    ]);
    expect(sent).toEqual([]);
    expect(group.pendingSince).toBeNull();
  });

  it("a late episode (buffered data) is sent at once, once", () => {
    const { sent } = timeline([
      [T0, [alert("a", { isLate: true }), alert("b", { isLate: true })]],
      [T0 + 15 * S, [alert("a", { isLate: true }), alert("b", { isLate: true })]],
    ]);
    expect(sent).toEqual([{ at: T0, reason: "late", firing: ["a", "b"], resolved: [] }]);
  });
});

describe("group interval and repeat", () => {
  const told = () =>
    timeline([
      [T0, [alert("a")]],
      [T0 + 30 * S, [alert("a")]],
    ]).group;

  it("nothing new: silence until the repeat interval, then a reminder", () => {
    const steps: [number, GroupAlert[]][] = [];
    for (let t = T0 + MIN; t <= T0 + 30 * S + 4 * 60 * MIN; t += 15 * MIN) steps.push([t, [alert("a")]]);
    steps.push([T0 + 30 * S + 4 * 60 * MIN, [alert("a")]]);
    const { sent } = timeline(steps, told());
    expect(sent).toEqual([{ at: T0 + 30 * S + 4 * 60 * MIN, reason: "repeat", firing: ["a"], resolved: [] }]);
  });

  it("a new alert in a told group waits for the group interval", () => {
    const { sent } = timeline(
      [
        [T0 + MIN, [alert("a"), alert("b")]],
        [T0 + 30 * S + 5 * MIN - 1, [alert("a"), alert("b")]],
        [T0 + 30 * S + 5 * MIN, [alert("a"), alert("b")]],
      ],
      told(),
    );
    expect(sent).toEqual([
      { at: T0 + 30 * S + 5 * MIN, reason: "changed", firing: ["a", "b"], resolved: [] },
    ]);
  });

  it("a resolved alert is announced once, and the group is then quiet", () => {
    const gone = alert("a", { isOpen: false, seq: 4 });
    const { sent, group } = timeline(
      [
        [T0 + 6 * MIN, [gone]],
        [T0 + 7 * MIN, [gone]],
        [T0 + 5 * 60 * MIN, [gone]],
      ],
      told(),
    );
    expect(sent).toEqual([{ at: T0 + 6 * MIN, reason: "changed", firing: [], resolved: ["a"] }]);
    expect(group.notified).toEqual({});
  });

  it("an alert that vanished (rule or site removed) is announced resolved", () => {
    const { sent } = timeline([[T0 + 6 * MIN, []]], told());
    expect(sent[0]).toMatchObject({ resolved: ["a"] });
  });

  it("escalation to critical is news; the same severity again is not", () => {
    const { sent } = timeline(
      [
        [T0 + 6 * MIN, [alert("a", { severity: "critical", seq: 3 })]],
        [T0 + 12 * MIN, [alert("a", { severity: "critical", seq: 3 })]],
      ],
      told(),
    );
    expect(sent.map((s) => s.reason)).toEqual(["changed"]);
  });

  it("refiring within the same episode (clearing → firing) is not news", () => {
    const { sent } = timeline([[T0 + 6 * MIN, [alert("a", { seq: 5 })]]], told());
    expect(sent).toEqual([]);
  });

  it("a new episode after a resolve notifies again", () => {
    const again = alert("a", { firingSince: T0 + 20 * MIN, seq: 6 });
    const { sent } = timeline(
      [
        [T0 + 10 * MIN, [alert("a", { isOpen: false, seq: 4 })]],
        [T0 + 20 * MIN, [again]],
        [T0 + 20 * MIN + 30 * S, [again]],
      ],
      told(),
    );
    expect(sent.map((s) => [s.reason, s.firing, s.resolved])).toEqual([
      ["changed", [], ["a"]],
      ["first", ["a"], []],
    ]);
  });
});

describe("mutes", () => {
  it("a muted alert is visible but never announced", () => {
    const muted = alert("a", { mutedBy: "maintenance" });
    const { sent } = timeline([
      [T0, [muted]],
      [T0 + MIN, [muted]],
      [T0 + 5 * 60 * MIN, [muted]],
    ]);
    expect(sent).toEqual([]);
  });

  it("a told alert that gets muted is not resolved; its resolution is still announced", () => {
    const g = timeline([
      [T0, [alert("a")]],
      [T0 + 30 * S, [alert("a")]],
    ]).group;
    const { sent } = timeline(
      [
        [T0 + 6 * MIN, [alert("a", { mutedBy: "silenced" })]],
        [T0 + 12 * MIN, [alert("a", { mutedBy: "silenced", isOpen: false })]],
      ],
      g,
    );
    expect(sent).toEqual([{ at: T0 + 12 * MIN, reason: "changed", firing: [], resolved: ["a"] }]);
  });

  it("still firing when the mute ends: announced then", () => {
    const { sent } = timeline([
      [T0, [alert("a", { mutedBy: "site-unreachable" })]],
      [T0 + 10 * MIN, [alert("a")]],
      [T0 + 10 * MIN + 30 * S, [alert("a")]],
    ]);
    expect(sent.map((s) => s.at)).toEqual([T0 + 10 * MIN + 30 * S]);
  });

  it("counts messages (the idempotency key's repeat part)", () => {
    const { group } = timeline([
      [T0, [alert("a")]],
      [T0 + 30 * S, [alert("a")]],
    ]);
    expect(group.flushes).toBe(1);
    expect(group.lastFlushAt).toBe(T0 + 30 * S);
  });
});
