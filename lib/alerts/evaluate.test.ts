import { describe, expect, it } from "vitest";
import { buildThresholdChain } from "@/lib/thresholds/chain";
import {
  type EvaluationInput,
  evaluateFleet,
  type HostFacts,
  type InstanceRecord,
  lateAfterMs,
  type SiteFacts,
} from "./evaluate";
import { instanceKey, nodeSubject, siteSubject } from "./identity";
import { type Rule, ruleInputSchema } from "./rules";

const S = 1_000;
const MIN = 60 * S;
const T0 = Date.UTC(2026, 11, 1, 12);
const EVERY = 15 * S;
const chain = buildThresholdChain({ warnCelsius: 80, criticalCelsius: null }, [
  { level: "site", scopeKey: "farm", warnCelsius: 82, criticalCelsius: null, scopeName: "Farm" },
]);

function rule(id: string, raw: Record<string, unknown>): Rule {
  return { id, ...ruleInputSchema.parse({ name: id, ...raw }) };
}

const temp = rule("temp", { kind: "temperature", forSeconds: 60, clearForSeconds: 120 });
const dark = rule("dark", { kind: "site-unreachable" });
const notReady = rule("notready", { kind: "node-not-ready", forSeconds: 30, clearForSeconds: 0 });
const silent = rule("silent", { kind: "sensor-silent", noDataSeconds: 300 });

function store(over: Partial<SiteFacts> = {}): SiteFacts {
  return {
    id: "store",
    slug: "store-1",
    name: "Store 1",
    kind: "store",
    labels: { region: "eu" },
    isUnreachable: false,
    isExpectedOffline: false,
    clusters: [
      {
        id: "c1",
        name: "edge",
        isReachable: true,
        nodes: [
          { name: "n1", isReady: true },
          { name: "n2", isReady: true },
          { name: "n3", isReady: true },
        ],
      },
    ],
    ...over,
  };
}

function host(name: string, value: number | null, now: number, over: Partial<HostFacts> = {}): HostFacts {
  return {
    siteId: "store",
    clusterId: "c1",
    host: name,
    samples: [{ from: now - EVERY, to: now, value }],
    lastPointAt: value === null ? now - 10 * MIN : now - S,
    skewMs: null,
    isSourceOk: true,
    ...over,
  };
}

/** Evaluates every 15 s from T0, feeding each step's facts, carrying instances forward. */
function simulate(
  rules: Rule[],
  steps: number,
  facts: (now: number, i: number) => { sites: SiteFacts[]; hosts: HostFacts[] },
) {
  let instances = new Map<string, InstanceRecord>();
  const history: ReturnType<typeof evaluateFleet>["history"] = [];
  for (let i = 1; i <= steps; i++) {
    const now = T0 + i * EVERY;
    const input: EvaluationInput = { now, intervalMs: EVERY, rules, chain, instances, ...facts(now, i) };
    const out = evaluateFleet(input);
    instances = new Map([...instances, ...out.instances]);
    history.push(...out.history);
  }
  return { instances, history };
}

const phase = (r: { instances: Map<string, InstanceRecord> }, ruleId: string, subject: string) =>
  r.instances.get(instanceKey(ruleId, subject))?.state.phase;

describe("temperature rule", () => {
  it("uses the threshold chain per node and records the level's source", () => {
    const farm = store({ id: "farm", kind: "wind-farm", slug: "farm" });
    const r = simulate([temp], 6, (now) => ({
      sites: [farm],
      hosts: [host("t1", 81, now, { siteId: "farm" }), host("t2", 83, now, { siteId: "farm" })],
    }));
    // 81 is under the site's 82 °C; 83 is above and pending for a minute, then firing.
    expect(phase(r, "temp", nodeSubject("farm", "t1"))).toBe("normal");
    const t2 = r.instances.get(instanceKey("temp", nodeSubject("farm", "t2")));
    expect(t2?.state.phase).toBe("firing");
    expect(t2?.threshold).toEqual({ celsius: 82, source: { level: "site", name: "Farm" } });
  });

  it("a level fixed on the rule overrides the chain", () => {
    const fixed = rule("fixed", { kind: "temperature", warnCelsius: 60, forSeconds: 0 });
    const r = simulate([fixed], 1, (now) => ({ sites: [store()], hosts: [host("n1", 65, now)] }));
    const i = r.instances.get(instanceKey("fixed", nodeSubject("store", "n1")));
    expect(i?.state.phase).toBe("firing");
    expect(i?.threshold?.source).toEqual({ level: "rule", name: "fixed" });
  });

  it("points from a wrong clock neither fire nor clear; the skew is recorded", () => {
    const r = simulate([temp], 10, (now) => ({
      sites: [store()],
      hosts: [host("n1", 95, now, { skewMs: 3 * 3_600_000 })],
    }));
    const i = r.instances.get(instanceKey("temp", nodeSubject("store", "n1")));
    expect(i?.state.phase).toBe("normal");
    expect(i?.skewMs).toBe(3 * 3_600_000);
  });

  it("respects the rule's scope (kinds, sites, labels)", () => {
    const onlyFarms = rule("farms", {
      kind: "temperature",
      scope: { siteKinds: ["wind-farm"] },
      forSeconds: 0,
    });
    const byLabel = rule("eu", { kind: "temperature", scope: { labels: { region: "us" } }, forSeconds: 0 });
    const r = simulate([onlyFarms, byLabel], 1, (now) => ({
      sites: [store()],
      hosts: [host("n1", 95, now)],
    }));
    expect(r.instances.size).toBe(0);
  });

  it("a disabled rule evaluates nothing", () => {
    const off = { ...temp, isEnabled: false };
    expect(
      simulate([off], 1, (now) => ({ sites: [store()], hosts: [host("n1", 95, now)] })).instances.size,
    ).toBe(0);
  });
});

describe("site-dark correlation", () => {
  it("a dark 3-node store is ONE site-unreachable alert; its node instances are suppressed", () => {
    const rules = [temp, dark, notReady, silent];
    const r = simulate(rules, 20, (now, i) => {
      const isDark = i > 4;
      const site = store({
        isUnreachable: isDark,
        clusters: [
          {
            id: "c1",
            name: "edge",
            isReachable: !isDark,
            // The last snapshot of a dark cluster keeps its nodes; their readiness is not known now.
            nodes: ["n1", "n2", "n3"].map((name) => ({ name, isReady: !isDark })),
          },
        ],
      });
      // Its telemetry went dark with it.
      const hosts = ["n1", "n2", "n3"].map((n) => host(n, isDark ? null : 60, now));
      return { sites: [site], hosts };
    });
    const open = [...r.instances.values()].filter(
      (i) => i.state.phase === "firing" || i.state.phase === "pending",
    );
    expect(open.map((i) => i.ruleId)).toEqual(["dark"]);
    expect(phase(r, "dark", siteSubject("store"))).toBe("firing");
    const nodeInstances = [...r.instances.values()].filter((i) => i.ruleId !== "dark");
    expect(nodeInstances.length).toBe(9);
    expect(nodeInstances.every((i) => i.suppressed === "site-unreachable")).toBe(true);
  });

  it("when the site returns, node instances resume from the data", () => {
    const r = simulate([dark, notReady], 12, (_now, i) => {
      const isDark = i > 2 && i <= 6;
      // n2 really went NotReady while the site was dark: the data after its return says so.
      const n2Ready = i <= 2;
      return {
        sites: [
          store({
            isUnreachable: isDark,
            clusters: [
              {
                id: "c1",
                name: "edge",
                isReachable: !isDark,
                nodes: [
                  { name: "n1", isReady: true },
                  { name: "n2", isReady: n2Ready },
                ],
              },
            ],
          }),
        ],
        hosts: [],
      };
    });
    expect(phase(r, "dark", siteSubject("store"))).toBe("normal");
    expect(phase(r, "notready", nodeSubject("store", "n2"))).toBe("firing");
    expect(phase(r, "notready", nodeSubject("store", "n1"))).toBe("normal");
    const n2 = r.instances.get(instanceKey("notready", nodeSubject("store", "n2")));
    expect(n2?.suppressed).toBeNull();
    // It went pending only once the site answered again (step 7), not from the stale snapshot.
    const pending = r.history.find((h) => h.key === n2?.key && h.transition.kind === "pending");
    expect(pending?.transition.at).toBe(T0 + 7 * EVERY);
  });
});

describe("sensor silent", () => {
  it("fires for a node whose cluster answers but whose sensor has been silent for the no-data period", () => {
    const r = simulate([silent], 2, (now) => ({
      sites: [store()],
      hosts: [host("n1", 60, now), host("n2", null, now, { lastPointAt: now - 6 * MIN })],
    }));
    expect(phase(r, "silent", nodeSubject("store", "n1"))).toBe("normal");
    expect(phase(r, "silent", nodeSubject("store", "n2"))).toBe("firing");
  });

  it("is not judged while the site is dark, expected offline, the node NotReady or the data source down", () => {
    const quiet = (now: number) => host("n2", null, now, { lastPointAt: now - 60 * MIN });
    const cases: { sites: SiteFacts[]; hosts: (now: number) => HostFacts[] }[] = [
      { sites: [store({ isUnreachable: true })], hosts: (now) => [quiet(now)] },
      { sites: [store({ isExpectedOffline: true })], hosts: (now) => [quiet(now)] },
      {
        sites: [
          store({
            clusters: [
              { id: "c1", name: "edge", isReachable: true, nodes: [{ name: "n2", isReady: false }] },
            ],
          }),
        ],
        hosts: (now) => [quiet(now)],
      },
      { sites: [store()], hosts: (now) => [{ ...quiet(now), isSourceOk: false }] },
    ];
    for (const c of cases) {
      const r = simulate([silent], 3, (now) => ({ sites: c.sites, hosts: c.hosts(now) }));
      expect(phase(r, "silent", nodeSubject("store", "n2"))).toBe("normal");
    }
  });
});

describe("late data", () => {
  it("evaluates buffered points in event time and marks what it learned late", () => {
    // Steps 1–3 live at 60 °C; the store goes quiet (no samples) for steps 4–20; at step 21 it
    // flushes everything it buffered: an overheat from step 6 to step 14, then cool again.
    const backfill = (now: number) =>
      Array.from({ length: 17 }, (_, k) => {
        const i = 4 + k;
        const to = T0 + i * EVERY;
        return { from: to - EVERY, to, value: i >= 6 && i <= 14 ? 95 : 60 };
      }).concat([{ from: now - EVERY, to: now, value: 60 }]);
    const r = simulate([temp], 21, (now, i) => ({
      sites: [store()],
      hosts: [
        i <= 3
          ? host("n1", 60, now)
          : i < 21
            ? host("n1", null, now)
            : { ...host("n1", 60, now), samples: backfill(now) },
      ],
    }));
    const kinds = r.history.map((h) => h.transition.kind);
    expect(kinds).toEqual(["pending", "firing", "clearing"]);
    const firing = r.history.find((h) => h.transition.kind === "firing");
    // Pending at step 6, firing a minute later (step 10), learned at step 21: 11 windows late.
    expect(firing?.transition.at).toBe(T0 + 10 * EVERY);
    expect(firing?.reportedLateMs).toBe(11 * EVERY);
    const i = r.instances.get(instanceKey("temp", nodeSubject("store", "n1")));
    expect(i?.firingLateMs).toBe(11 * EVERY);
    expect(i?.state.evaluatedThrough).toBe(T0 + 21 * EVERY);
  });

  it("an overheat that began and ended during the outage stays in history, and the instance is normal", () => {
    const backfill = Array.from({ length: 40 }, (_, k) => {
      const to = T0 + (k + 2) * EVERY;
      return { from: to - EVERY, to, value: k >= 2 && k < 12 ? 95 : 60 };
    });
    const r = simulate([temp], 50, (now, i) => ({
      sites: [store()],
      hosts: [i === 50 ? { ...host("n1", 60, now), samples: backfill } : host("n1", null, now)],
    }));
    expect(r.history.map((h) => h.transition.kind)).toEqual(["pending", "firing", "clearing", "resolved"]);
    expect(r.history.every((h) => h.reportedLateMs > 0)).toBe(true);
    expect(phase(r, "temp", nodeSubject("store", "n1"))).toBe("normal");
  });
});

describe("what counts as late", () => {
  it("two evaluations and never under a minute: points landing a little after their window are on time", () => {
    expect(lateAfterMs(15_000)).toBe(60_000);
    expect(lateAfterMs(2_000)).toBe(60_000);
    expect(lateAfterMs(60_000)).toBe(120_000);
    // A transition learned 45 s after it happened (15 s interval): on time.
    const r = simulate([rule("t0", { kind: "temperature", forSeconds: 0 })], 1, (now) => ({
      sites: [store()],
      hosts: [{ ...host("n1", 95, now), samples: [{ from: now - 60_000, to: now - 45_000, value: 95 }] }],
    }));
    expect(r.history[0]?.reportedLateMs).toBe(0);
  });
});

describe("what changed", () => {
  it("only instances whose state moved need writing", () => {
    const steady = simulate([temp], 1, (now) => ({ sites: [store()], hosts: [host("n1", 60, now)] }));
    const input: EvaluationInput = {
      now: T0 + 2 * EVERY,
      intervalMs: EVERY,
      rules: [temp],
      chain,
      instances: steady.instances,
      sites: [store()],
      hosts: [host("n1", 61, T0 + 2 * EVERY), host("n2", 90, T0 + 2 * EVERY)],
    };
    const out = evaluateFleet(input);
    expect([...out.changed]).toEqual([instanceKey("temp", nodeSubject("store", "n2"))]);
  });
});
