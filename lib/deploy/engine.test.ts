import { describe, expect, it } from "vitest";
import {
  abort,
  type ClusterFacts,
  decide,
  type EngineRollout,
  type EngineTarget,
  initialWaves,
  resume,
} from "./engine";
import { type StrategyInput, strategyWith } from "./strategy";
import { transition } from "./target-state";

const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const fresh: ClusterFacts = {
  reach: "fresh",
  reachReason: "",
  isExpectedOffline: false,
  maintenance: null,
  lastSeenAt: null,
};
const offline: ClusterFacts = {
  reach: "unreachable",
  reachReason: "unreachable for 3 min: connection refused",
  isExpectedOffline: false,
  maintenance: null,
  lastSeenAt: null,
};

function setup(waveSizes: number[], strategy: StrategyInput = {}, sites?: (i: number) => string) {
  const targets: EngineTarget[] = [];
  let i = 0;
  waveSizes.forEach((size, wave) => {
    for (let k = 0; k < size; k++, i++) {
      targets.push({
        id: `t${i}`,
        clusterId: `c${i}`,
        siteId: sites ? sites(i) : `s${i}`,
        wave,
        ord: i,
        attempts: 0,
        nextCheckAt: null,
        lastCheckedAt: null,
        state: "queued",
        reason: "queued",
        since: T0,
        failure: null,
        waitingSince: null,
      });
    }
  });
  const rollout: EngineRollout = {
    state: "running",
    stateReason: "",
    currentWave: 0,
    waves: initialWaves(
      waveSizes.map((n, w) => ({ name: w === 0 ? "canary" : `wave ${w}`, clusterIds: Array(n).fill("") })),
    ),
    strategy: strategyWith({ soakSeconds: 0, ...strategy }),
  };
  return { targets, rollout };
}

/** Runs the engine repeatedly, applying its decisions, with an in-memory "job" that finishes each target. */
class Sim {
  now = T0;
  facts = new Map<string, ClusterFacts>();
  jobs: string[] = [];
  constructor(
    public rollout: EngineRollout,
    public targets: EngineTarget[],
  ) {}
  factsOf = (id: string) => this.facts.get(id) ?? { ...fresh, lastSeenAt: this.now };
  tick(ms = 1000) {
    this.now += ms;
    const d = decide(this.rollout, this.targets, this.factsOf, this.now);
    for (const t of d.targets) this.targets = this.targets.map((x) => (x.id === t.id ? t : x));
    if (d.rollout) this.rollout = d.rollout;
    this.jobs.push(...d.jobs.map((j) => j.key));
    return d;
  }
  target(id: string) {
    return this.targets.find((t) => t.id === id) as EngineTarget;
  }
  put(id: string, fn: (t: EngineTarget) => EngineTarget) {
    this.targets = this.targets.map((t) => (t.id === id ? fn(t) : t));
  }
  /** what the apply + check jobs do on success */
  succeed(id: string) {
    this.put(id, (t) => ({
      ...transition(transition(t, "rolling-out", "applied", this.now), "ready", "1 object ready", this.now),
      lastCheckedAt: this.now,
      nextCheckAt: null,
    }));
  }
  fail(id: string, reason = "pod x: ImagePullBackOff") {
    this.put(id, (t) => transition(t, "failed", reason, this.now, "image-pull"));
  }
  states() {
    return this.targets.map((t) => t.state);
  }
}

describe("decide: starting targets", () => {
  it("starts the canary only, and enqueues one keyed apply job per start", () => {
    const { rollout, targets } = setup([1, 3]);
    const sim = new Sim(rollout, targets);
    const d = sim.tick();
    expect(sim.states()).toEqual(["preflight", "queued", "queued", "queued"]);
    expect(d.jobs).toEqual([{ targetId: "t0", phase: "apply", key: "t0:apply:1", runAt: sim.now, ref: 1 }]);
    expect(sim.target("t0").attempts).toBe(1);
    // a repeated tick changes nothing and enqueues nothing new
    const again = sim.tick();
    expect(again.targets).toEqual([]);
    expect(again.jobs).toEqual([]);
  });

  it("respects maxInFlight and the per-site limit", () => {
    const { rollout, targets } = setup([0, 6], { maxInFlight: 3, maxInFlightPerSite: 2 }, (i) =>
      i < 4 ? "farm" : `s${i}`,
    );
    rollout.currentWave = 1;
    const sim = new Sim(rollout, targets);
    sim.tick();
    expect(sim.states()).toEqual(["preflight", "preflight", "queued", "queued", "preflight", "queued"]);
    expect(sim.target("t2").reason).toContain("at this site (2 at once)");
    expect(sim.target("t5").reason).toContain("3 in flight");
  });

  it("defers offline targets (not failures), and applies them as soon as the site is fresh again", () => {
    const { rollout, targets } = setup([0, 3], {}, undefined);
    rollout.currentWave = 1;
    const sim = new Sim(rollout, targets);
    sim.facts.set("c1", offline);
    sim.tick();
    expect(sim.target("t1")).toMatchObject({
      state: "waiting-site",
      reason: offline.reachReason,
      waitingSince: sim.now,
    });
    sim.succeed("t0");
    sim.succeed("t2");
    sim.tick();
    expect(sim.rollout.state).toBe("running");
    expect(sim.rollout.stateReason).toContain("1 waiting for their site");
    sim.facts.delete("c1");
    sim.tick();
    expect(sim.target("t1").state).toBe("preflight");
    sim.succeed("t1");
    sim.tick();
    expect(sim.rollout.state).toBe("completed");
    expect(sim.rollout.stateReason).toBe("3 ready");
  });

  it("holds targets of sites in maintenance and starts them when it ends", () => {
    const { rollout, targets } = setup([0, 2]);
    rollout.currentWave = 1;
    const sim = new Sim(rollout, targets);
    sim.facts.set("c0", { ...fresh, maintenance: { reason: "crane lift", endsAt: T0 + 3_600_000 } });
    sim.tick();
    expect(sim.target("t0")).toMatchObject({
      state: "held",
      reason: "site in maintenance until 2026-12-01T13:00:00Z: crane lift",
    });
    expect(sim.target("t1").state).toBe("preflight");
    sim.facts.delete("c0");
    sim.tick();
    expect(sim.target("t0").state).toBe("preflight");
  });

  it("lets a vehicle in its expected-offline window wait without failing", () => {
    const { rollout, targets } = setup([1]);
    const sim = new Sim(rollout, targets);
    sim.facts.set("c0", { ...offline, isExpectedOffline: true });
    sim.tick();
    expect(sim.target("t0").state).toBe("waiting-window");
    expect(sim.rollout.state).toBe("running");
  });

  it("expires a target whose site stays away past the expiry, counting from the first wait", () => {
    const { rollout, targets } = setup([0, 2], { expiryHours: 1 });
    rollout.currentWave = 1;
    const sim = new Sim(rollout, targets);
    sim.facts.set("c0", offline);
    sim.tick();
    sim.succeed("t1");
    sim.tick(3_599_000);
    expect(sim.target("t0").state).toBe("waiting-site");
    sim.tick(1000);
    expect(sim.target("t0")).toMatchObject({ state: "expired" });
    expect(sim.target("t0").reason).toMatch(/^waited 1 h for the site; not applied/);
    sim.tick();
    expect(sim.rollout.state).toBe("completed");
    expect(sim.rollout.stateReason).toBe("1 expired · 1 ready");
  });

  it("retries a cluster that hung on Outpost only after the collector reached it again", () => {
    const { rollout, targets } = setup([1]);
    const sim = new Sim(rollout, targets);
    sim.tick();
    const hungAt = sim.now;
    sim.put("t0", (t) =>
      transition(t, "waiting-site", "unreachable while applying: connection timed out", hungAt),
    );
    // Still "fresh" from a poll before the hang: wait.
    sim.facts.set("c0", { ...fresh, lastSeenAt: hungAt - 5000 });
    sim.tick();
    expect(sim.target("t0").state).toBe("waiting-site");
    sim.facts.set("c0", { ...fresh, lastSeenAt: hungAt + 3000 });
    sim.tick();
    expect(sim.target("t0")).toMatchObject({ state: "preflight", attempts: 2 });
  });

  it("does not pass an offline canary: the wave waits instead of going on unverified", () => {
    const { rollout, targets } = setup([1, 2]);
    const sim = new Sim(rollout, targets);
    sim.facts.set("c0", offline);
    for (let i = 0; i < 5; i++) sim.tick();
    expect(sim.rollout.currentWave).toBe(0);
    expect(sim.states()).toEqual(["waiting-site", "queued", "queued"]);
  });
});

describe("decide: waves, soak and the failure threshold", () => {
  it("moves to the next wave when the current one is settled and soaked, re-checking ready targets after the soak", () => {
    const { rollout, targets } = setup([1, 2], { soakSeconds: 60 });
    const sim = new Sim(rollout, targets);
    sim.tick();
    sim.succeed("t0");
    const settled = sim.tick();
    expect(settled.events[0]).toContain("settled; soaking until");
    const soakUntil = sim.rollout.waves[0]?.soakUntil as number;
    expect(sim.target("t0").nextCheckAt).toBe(soakUntil);
    sim.tick(59_000);
    expect(sim.rollout.currentWave).toBe(0);
    const due = sim.tick(1000);
    expect(due.jobs.map((j) => j.key)).toEqual([`t0:check:${soakUntil}`]);
    expect(sim.rollout.currentWave).toBe(0);
    sim.put("t0", (t) => ({ ...t, lastCheckedAt: sim.now, nextCheckAt: null }));
    const next = sim.tick();
    expect(next.events).toContain("wave 2 (wave 1) started");
    expect(sim.rollout.currentWave).toBe(1);
    sim.tick();
    expect(sim.states()).toEqual(["ready", "preflight", "preflight"]);
  });

  it("pauses on the first failure by default, naming the wave and the target's reason", () => {
    const { rollout, targets } = setup([1, 2]);
    const sim = new Sim(rollout, targets);
    sim.tick();
    sim.fail("t0", "Deployment pos/pos-api: pod pos-api-x: ImagePullBackOff: Back-off pulling image");
    const d = sim.tick();
    expect(sim.rollout.state).toBe("paused");
    expect(sim.rollout.stateReason).toBe(
      "wave 1 (canary): 1 of 1 failed — Deployment pos/pos-api: pod pos-api-x: ImagePullBackOff: Back-off pulling image",
    );
    expect(d.events[0]).toMatch(/^paused: /);
    sim.tick();
    expect(sim.states()).toEqual(["failed", "queued", "queued"]);
  });

  it("tolerates failures up to the threshold, and can continue instead of pausing", () => {
    const tolerant = setup([0, 4], { failureThreshold: { maxFailed: 1 } });
    tolerant.rollout.currentWave = 1;
    const a = new Sim(tolerant.rollout, tolerant.targets);
    a.tick();
    a.fail("t0");
    a.tick();
    expect(a.rollout.state).toBe("running");
    a.fail("t1");
    a.tick();
    expect(a.rollout.state).toBe("paused");

    const percent = setup([0, 4], { failureThreshold: { maxFailed: 100, maxFailedPercent: 25 } });
    percent.rollout.currentWave = 1;
    const b = new Sim(percent.rollout, percent.targets);
    b.tick();
    b.fail("t0");
    b.tick();
    expect(b.rollout.state).toBe("running");
    b.fail("t1");
    b.tick();
    expect(b.rollout.state).toBe("paused");

    const onward = setup([1, 1], { failureAction: "continue" });
    const c = new Sim(onward.rollout, onward.targets);
    c.tick();
    c.fail("t0");
    c.tick();
    expect(c.rollout.state).toBe("running");
    expect(c.rollout.currentWave).toBe(1);
  });

  it("while paused starts nothing but keeps checking targets already rolling out", () => {
    const { rollout, targets } = setup([0, 3], { maxInFlight: 2 });
    rollout.currentWave = 1;
    const sim = new Sim(rollout, targets);
    sim.tick();
    sim.put("t1", (t) => ({
      ...transition(t, "rolling-out", "applied", sim.now),
      nextCheckAt: sim.now + 500,
    }));
    sim.fail("t0");
    const d = sim.tick();
    expect(sim.rollout.state).toBe("paused");
    expect(d.jobs.map((j) => j.phase)).toEqual(["check"]);
    expect(sim.target("t2")).toMatchObject({ state: "queued", reason: "rollout paused" });
  });

  it("resumes: accepting failures, or retrying them; and abort cancels what has not finished", () => {
    const { rollout, targets } = setup([1, 1]);
    const sim = new Sim(rollout, targets);
    sim.tick();
    sim.fail("t0");
    sim.tick();
    const accepted = resume(
      sim.rollout,
      sim.targets,
      { retryFailed: false, reason: "resumed by ops" },
      sim.now,
    );
    expect(accepted.targets).toEqual([]);
    sim.rollout = accepted.rollout;
    sim.tick();
    expect(sim.rollout.state).toBe("running");
    expect(sim.rollout.currentWave).toBe(1);

    const again = setup([1, 1]);
    const s2 = new Sim(again.rollout, again.targets);
    s2.tick();
    s2.fail("t0");
    s2.tick();
    const retried = resume(s2.rollout, s2.targets, { retryFailed: true, reason: "retry" }, s2.now);
    expect(retried.targets.map((t) => [t.id, t.state])).toEqual([["t0", "queued"]]);
    s2.rollout = retried.rollout;
    for (const t of retried.targets) s2.put(t.id, () => t);
    s2.tick();
    expect(s2.target("t0")).toMatchObject({
      state: "preflight",
      attempts: 2,
      reason: "starting (attempt 2)",
    });
    expect(s2.jobs).toContain("t0:apply:2");
    expect(s2.rollout.currentWave).toBe(0);

    const aborted = abort(s2.rollout, s2.targets, "aborted by ops", s2.now);
    expect(aborted.rollout.state).toBe("aborted");
    expect(aborted.targets.map((t) => [t.id, t.state, t.reason])).toEqual([
      ["t0", "cancelled", "aborted by ops while preflight; anything already applied stays on the cluster"],
      ["t1", "cancelled", "aborted by ops"],
    ]);
    expect(decide(aborted.rollout, aborted.targets, () => fresh, s2.now + 1000)).toEqual({
      targets: [],
      jobs: [],
      rollout: null,
      events: [],
    });
  });
});

describe("decide: a whole rollout", () => {
  it("runs canary → waves → completed over 20 targets with 2 in flight", () => {
    const { rollout, targets } = setup([1, 4, 15], { maxInFlight: 2 });
    const sim = new Sim(rollout, targets);
    for (let i = 0; i < 100 && sim.rollout.state === "running"; i++) {
      sim.tick();
      for (const t of sim.targets) if (t.state === "preflight") sim.succeed(t.id);
    }
    expect(sim.rollout.state).toBe("completed");
    expect(sim.states().every((s) => s === "ready")).toBe(true);
    // every target applied exactly once
    expect(sim.jobs.filter((k) => k.includes(":apply:")).sort()).toEqual(
      targets.map((t) => `${t.id}:apply:1`).sort(),
    );
  });
});
