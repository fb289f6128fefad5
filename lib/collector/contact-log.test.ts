import { describe, expect, it } from "vitest";
import { type ContactOp, emptyLinkRecord, type LinkRecord, recordPoll } from "./contact-log";

const INTERVAL = 15_000;
const T0 = Date.parse("2026-12-01T10:00:00.000Z");
const refused = { errorClass: "refused" as const, message: "connection refused" };
const reset = { errorClass: "reset" as const, message: "connection reset" };

/** Feeds "o" (ok) / "x" (refused) / "r" (reset) polls 15 s apart; returns the record and every contact op, in order. */
function run(pattern: string, start: LinkRecord = emptyLinkRecord(), t0 = T0) {
  let record = start;
  const ops: ContactOp[] = [];
  [...pattern.replaceAll(" ", "")].forEach((c, i) => {
    const r = recordPoll(
      record,
      t0 + i * INTERVAL,
      c === "o" ? 40 : null,
      c === "x" ? refused : c === "r" ? reset : null,
      INTERVAL,
    );
    record = r.record;
    ops.push(...r.ops);
  });
  return { record, ops };
}
const at = (i: number) => T0 + i * INTERVAL;

describe("contact log", () => {
  it("records reached and lost once per change, not per poll", () => {
    const { ops } = run("ooooo xxx ooo");
    expect(ops).toEqual([
      { op: "event", at: at(0), kind: "up", failure: null },
      { op: "event", at: at(5), kind: "down", failure: refused },
      { op: "event", at: at(8), kind: "up", failure: null },
    ]);
  });

  it("folds a flapping link into one intermittent run from its first failure", () => {
    const { ops, record } = run("ooo xoox xoox xoox");
    // Up, down, up, down before the pattern is clear; then one run from the first failure.
    expect(ops.map((o) => o.op)).toEqual(["event", "event", "event", "event", "run-start"]);
    const start = ops.at(-1);
    expect(start).toMatchObject({ op: "run-start", at: at(3), polls: 5, failures: 3 });
    expect(record.flapSince).toBe(at(3));
    // Every poll after the start only counts.
    expect(record).toMatchObject({ flapPolls: 12, flapFailures: 6 });
  });

  it("ends the run once the link holds, with its counts, and says reached", () => {
    const flapping = run("xoox xoox xoox");
    const { ops, record } = run("oooooooooooo", flapping.record, at(12));
    const end = ops.find((o) => o.op === "run-end");
    expect(end).toMatchObject({ op: "run-end", failures: 6 });
    expect(ops.at(-1)).toMatchObject({ op: "event", kind: "up" });
    expect(ops).toHaveLength(2);
    expect(record).toMatchObject({ flapSince: null, flapPolls: 0, flapFailures: 0 });
  });

  it("keeps one run through a short outage amid the flaps", () => {
    const { ops, record } = run("xoox xoox xoox xxxx oxox");
    expect(ops.filter((o) => o.op === "run-start")).toHaveLength(1);
    expect(ops.filter((o) => o.op === "run-end")).toHaveLength(0);
    expect(record.flapSince).toBe(at(0));
  });

  it("ends the run where an outage began once the flaps slid out of the window", () => {
    const flapping = run("xoox xoox xoox");
    const { ops, record } = run("xxxxxxxxxxxx", flapping.record, at(12));
    // The last success was poll 10; the outage began at poll 11, the run's last failure.
    expect(ops).toEqual([
      { op: "run-end", at: at(11), polls: 11, failures: 5 },
      { op: "event", at: at(11), kind: "down", failure: refused },
    ]);
    // Coming back is "reached", not a new run built from the flaps before the outage.
    const back = run("o", record, at(24));
    expect(back.ops).toEqual([{ op: "event", at: at(24), kind: "up", failure: null }]);
  });

  it("continues a run across a restart: the persisted record carries it, unknown times are estimated", () => {
    const before = run("xoox xoox x");
    const restored: LinkRecord = { ...before.record, times: before.record.times.map(() => null) };
    const { ops, record } = run("oox", restored, at(11));
    expect(ops).toEqual([]);
    expect(record.flapSince).toBe(before.record.flapSince);
    // A run detected right after a restart dates its start from the interval.
    const fresh: LinkRecord = {
      ...emptyLinkRecord(),
      outcomes: [null, 40, null, 40],
      times: [null, null, null, null],
      isReachable: true,
    };
    const detected = run("x", fresh, at(4));
    expect(detected.ops[0]).toMatchObject({ op: "run-start", at: at(0) });
  });

  it("has the down row follow the failure happening now, once per change of class", () => {
    // A kept-alive socket resets when the site goes dark; the reconnects are refused.
    const { ops, record } = run("oo rxxx r o");
    expect(ops).toEqual([
      { op: "event", at: at(0), kind: "up", failure: null },
      { op: "event", at: at(2), kind: "down", failure: reset },
      { op: "failure-changed", at: at(3), row: "down", failure: refused },
      { op: "failure-changed", at: at(6), row: "down", failure: reset },
      { op: "event", at: at(7), kind: "up", failure: null },
    ]);
    expect(record.failureClass).toBeNull();
  });

  it("has an intermittent run follow its latest failure", () => {
    const flapping = run("xoox xoox xoox");
    expect(flapping.record.failureClass).toBe("refused");
    const { ops } = run("rooxoo", flapping.record, at(12));
    expect(ops).toEqual([
      { op: "failure-changed", at: at(12), row: "intermittent", failure: reset },
      { op: "failure-changed", at: at(15), row: "intermittent", failure: refused },
    ]);
  });

  it("after a restart, compares with the failure the stored row says", () => {
    const down: LinkRecord = { ...emptyLinkRecord(), outcomes: [null], times: [null], isReachable: false };
    expect(run("x", { ...down, failureClass: "refused" }).ops).toEqual([]);
    expect(run("x", { ...down, failureClass: "reset" }).ops).toEqual([
      { op: "failure-changed", at: at(0), row: "down", failure: refused },
    ]);
  });

  it("marks when the link turned slow and clears it when it is fast again", () => {
    let record = emptyLinkRecord();
    for (let i = 0; i < 5; i++) record = recordPoll(record, at(i), 4_100, null, INTERVAL).record;
    expect(record.slowSince).toBe(at(0));
    for (let i = 5; i < 8; i++) record = recordPoll(record, at(i), 40, null, INTERVAL).record;
    expect(record.slowSince).toBeNull();
  });
});
