import { describe, expect, it } from "vitest";
import {
  canTransition,
  IllegalTransition,
  isExpired,
  progressBucket,
  TARGET_STATES,
  type TargetStatus,
  TERMINAL_STATES,
  transition,
} from "./target-state";

const queued: TargetStatus = {
  state: "queued",
  reason: "queued",
  since: 0,
  failure: null,
  waitingSince: null,
};

describe("target state machine", () => {
  it("walks the happy path with reasons and since", () => {
    let t = transition(queued, "preflight", "starting", 10);
    t = transition(t, "applying", "applying 3 objects", 20);
    t = transition(t, "rolling-out", "applied", 30);
    t = transition(t, "ready", "3 objects ready", 40);
    expect(t).toEqual({
      state: "ready",
      reason: "3 objects ready",
      since: 40,
      failure: null,
      waitingSince: null,
    });
  });

  it("keeps since when only the reason changes", () => {
    const waiting = transition(queued, "waiting-site", "unreachable for 1 min", 10);
    const later = transition(waiting, "waiting-site", "unreachable for 5 min", 50);
    expect(later).toMatchObject({ since: 10, reason: "unreachable for 5 min", waitingSince: 10 });
    expect(transition(later, "waiting-site", later.reason, 60)).toBe(later);
  });

  it("records the failure kind only on failed", () => {
    const failed = transition(transition(queued, "preflight", "", 1), "failed", "conflict", 2, "conflict");
    expect(failed.failure).toBe("conflict");
    expect(transition(failed, "queued", "retry", 3).failure).toBeNull();
    expect(transition(transition(queued, "preflight", "", 1), "failed", "x", 2).failure).toBe("error");
  });

  it("keeps the first waiting time across waits, clears it once applied", () => {
    let t = transition(queued, "waiting-site", "offline", 100);
    t = transition(t, "held", "maintenance", 200);
    t = transition(t, "queued", "back", 300);
    t = transition(t, "preflight", "starting", 400);
    expect(t.waitingSince).toBe(100);
    t = transition(t, "waiting-site", "timed out", 500);
    expect(t.waitingSince).toBe(100);
    t = transition(transition(t, "preflight", "", 600), "applying", "", 700);
    expect(t.waitingSince).toBeNull();
  });

  it("refuses transitions outside the table", () => {
    expect(() => transition(queued, "ready", "x", 1)).toThrow(IllegalTransition);
    expect(() => transition(queued, "rolling-out", "x", 1)).toThrow(
      "a target cannot go from queued to rolling-out",
    );
    for (const terminal of ["cancelled", "rolled-back"] as const) {
      for (const to of TARGET_STATES) if (to !== terminal) expect(canTransition(terminal, to)).toBe(false);
    }
    expect(canTransition("ready", "rolled-back")).toBe(true);
    expect(canTransition("failed", "queued")).toBe(true);
    expect(canTransition("expired", "preflight")).toBe(false);
  });

  it("expires only deferred targets, exactly at the expiry", () => {
    const waiting = transition(queued, "waiting-site", "offline", 1000);
    expect(isExpired(waiting, 500, 1499)).toBe(false);
    expect(isExpired(waiting, 500, 1500)).toBe(true);
    expect(isExpired({ state: "queued", waitingSince: 0 }, 500, 10_000)).toBe(false);
    expect(isExpired({ state: "held", waitingSince: null }, 500, 10_000)).toBe(false);
  });

  it("puts every state in one progress bucket", () => {
    expect(TARGET_STATES.map((s) => [s, progressBucket(s)])).toEqual([
      ["queued", "waiting"],
      ["waiting-window", "waiting"],
      ["held", "waiting"],
      ["waiting-site", "waiting"],
      ["preflight", "inFlight"],
      ["applying", "inFlight"],
      ["rolling-out", "inFlight"],
      ["ready", "done"],
      ["failed", "failed"],
      ["expired", "failed"],
      ["rolled-back", "done"],
      ["cancelled", "other"],
    ]);
    expect([...TERMINAL_STATES].sort()).toEqual(["cancelled", "expired", "failed", "ready", "rolled-back"]);
  });
});
