import { describe, expect, it } from "vitest";
import type { InfluxSeries } from "@/lib/influx/client";
import { DEFAULT_MAPPING } from "../schemas";
import { ARRIVAL_GRACE_MS, CLOCK_TOLERANCE_MS, planWindow, RAW_WINDOW_MAX_MS, tickStatements } from "./plan";
import { type JoinFn, reduceTick, SKEW_EVIDENCE_MAX_AGE_MS } from "./reduce";
import { type NodeLatest, nodeKey } from "./types";

const T = Date.UTC(2026, 11, 1, 12, 0, 0);
const S = 1_000;
const m = DEFAULT_MAPPING;
const join: JoinFn = (id) => ({ siteId: id.siteTag ? `site:${id.siteTag}` : null, clusterId: null });
const TEMP_COLS = ["time", "v", "site", "cluster", "host", "sensor"];
const PING_COLS = ["time", "loss", "rtt", "site", "cluster", "host"];

function raw(columns: string[], values: unknown[][]): InfluxSeries[] {
  return [{ name: "m", tags: {}, columns, values }];
}
function last(tags: Record<string, string>, t: number, v: number): InfluxSeries {
  return { name: "temp", tags, columns: ["time", "v"], values: [[t, v]] };
}

/** One tick at `now` after a tick at `prevTo`, answering with the given statement results. */
function tick(
  now: number,
  prevTo: number | null,
  answer: (plan: ReturnType<typeof tickStatements>) => InfluxSeries[][],
  previous: NodeLatest[] = [],
  probeHosts: string[] = [],
) {
  const plan = tickStatements(m, null, planWindow(prevTo, now), probeHosts);
  return reduceTick({
    sourceId: "src",
    mapping: m,
    plan,
    results: answer(plan),
    previous: new Map(previous.map((n) => [nodeKey(n), n])),
    join,
  });
}

function byHost(nodes: NodeLatest[], host: string): NodeLatest {
  const n = nodes.find((x) => x.host === host);
  if (!n) throw new Error(`no ${host}`);
  return n;
}

describe("planWindow", () => {
  it("reads plain points since the previous tick, overlapping by the arrival grace", () => {
    expect(planWindow(T - 10 * S, T)).toEqual({
      mode: "raw",
      from: T - 10 * S - ARRIVAL_GRACE_MS,
      to: T,
      futureLimit: T + CLOCK_TOLERANCE_MS,
    });
  });

  it("catches up with aggregates after a gap or on the first tick, never further back than the lookback", () => {
    expect(planWindow(T - RAW_WINDOW_MAX_MS, T).mode).toBe("catch-up");
    expect(planWindow(null, T)).toMatchObject({ mode: "catch-up", from: T - 24 * 3_600_000 });
    expect(planWindow(T - 3 * 86_400_000, T).from).toBe(T - 24 * 3_600_000);
    // A previous tick "in the future" (clock changed) is no anchor.
    expect(planWindow(T + 60 * S, T).mode).toBe("catch-up");
  });
});

describe("reduceTick, plain points", () => {
  const rows = (plan: ReturnType<typeof tickStatements>) => {
    const out: InfluxSeries[][] = [];
    out[plan.temp] = raw(TEMP_COLS, [
      [T - 15 * S, 60, "s1", "k3s", "a", "cpu"],
      [T - 5 * S, 62, "s1", "k3s", "a", "cpu"],
      [T - 5 * S, 70, "s1", "k3s", "a", "gpu"],
      [T - 12 * S, 88, "s1", "k3s", "b", "cpu"],
      [T - 2 * S, 71, "s1", "k3s", "b", "cpu"],
    ]);
    if (plan.ping !== null)
      out[plan.ping] = raw(PING_COLS, [
        [T - 8 * S, 0, 12.5, "s1", "k3s", "a"],
        [T - 3 * S, 50, 30, "s1", "k3s", "a"],
      ]);
    return out;
  };

  it("takes the newest point per sensor, the hottest sensor per node, and the max over the window", () => {
    const { nodes } = tick(T, T - 10 * S, rows);
    const a = byHost(nodes, "a");
    expect(a).toMatchObject({
      siteTag: "s1",
      clusterTag: "k3s",
      siteId: "site:s1",
      tempC: 70,
      tempAt: T - 5 * S,
      windowMaxC: 70,
      lastPointAt: T - 3 * S,
      pingAt: T - 3 * S,
      lossPct: 50,
      rttMs: 30,
      skewMs: null,
      tickAt: T,
      windowFrom: T - 20 * S,
      windowTo: T,
    });
    // b cooled down, but the spike inside the window is what an alert must see.
    expect(byHost(nodes, "b")).toMatchObject({ tempC: 71, windowMaxC: 88, windowMaxAt: T - 12 * S });
  });

  it("keeps the last reading of a host that said nothing this tick, without a window max", () => {
    const first = tick(T, T - 10 * S, rows).nodes;
    const { nodes, silentHosts, quietHosts } = tick(
      T + 10 * S,
      T,
      () => [raw(TEMP_COLS, []), raw(PING_COLS, [])],
      first,
    );
    expect(byHost(nodes, "a")).toMatchObject({
      tempC: 70,
      tempAt: T - 5 * S,
      windowMaxC: null,
      tickAt: T + 10 * S,
    });
    // Their last points are still inside this window: quiet (maybe timing), not yet silent.
    expect(silentHosts).toEqual([]);
    expect(quietHosts.sort()).toEqual(["a", "b"]);
    const later = tick(T + 40 * S, T + 10 * S, () => [raw(TEMP_COLS, []), raw(PING_COLS, [])], nodes);
    expect(later.silentHosts.sort()).toEqual(["a", "b"]);
  });

  it("never takes a point dated beyond the tolerance as a reading, even if the server returns it", () => {
    const { nodes } = tick(T, T - 10 * S, (plan) => {
      const out: InfluxSeries[][] = [];
      out[plan.temp] = raw(TEMP_COLS, [
        [T - 5 * S, 52, "s1", "k3s", "nuc-01", "cpu"],
        [T + 2 * 3_600_000, 96.5, "s1", "k3s", "nuc-01", "cpu"],
      ]);
      return out;
    });
    expect(byHost(nodes, "nuc-01")).toMatchObject({ tempC: 52, windowMaxC: 52, lastPointAt: T - 5 * S });
  });
});

describe("reduceTick, key metric", () => {
  it("keeps the newest turbine key value (power) per node, raw and caught up, without counting it as telemetry", () => {
    const raw1 = tick(T, T - 10 * S, (plan) => {
      const out: InfluxSeries[][] = [];
      out[plan.temp] = raw(TEMP_COLS, [[T - 5 * S, 60, "wf", "t01", "t01", "cpu"]]);
      if (plan.key === null) throw new Error("no key statement");
      out[plan.key] = raw(
        ["time", "v", "site", "cluster", "host"],
        [
          [T - 8 * S, 1200, "wf", "t01", "t01"],
          [T - 2 * S, 1350, "wf", "t01", "t01"],
          [T - 2 * S, 900, "wf", "t02", "t02"],
        ],
      );
      return out;
    }).nodes;
    expect(byHost(raw1, "t01")).toMatchObject({ keyValue: 1350, keyAt: T - 2 * S, lastPointAt: T - 5 * S });
    // t02 reported only its power: no temperature, no ping, so nothing that makes it "seen".
    expect(raw1.find((n) => n.host === "t02")).toBeUndefined();
    const caught = tick(T, null, (plan) => {
      const out: InfluxSeries[][] = [];
      out[plan.temp] = [last({ site: "wf", cluster: "t03", host: "t03", sensor: "cpu" }, T - 60 * S, 55)];
      out[plan.key as number] = [last({ site: "wf", cluster: "t03", host: "t03" }, T - 30 * S, 777)];
      return out;
    }).nodes;
    expect(byHost(caught, "t03")).toMatchObject({ keyValue: 777, keyAt: T - 30 * S });
  });
});

describe("reduceTick, catch-up", () => {
  it("reads last/max per series and last loss/rtt per host", () => {
    const { nodes } = tick(T, null, (plan) => {
      const out: InfluxSeries[][] = [];
      const tags = { site: "s2", cluster: "c", host: "h" };
      out[plan.temp] = [
        last({ ...tags, sensor: "x" }, T - 60 * S, 55),
        last({ ...tags, sensor: "y" }, T - 50 * S, 57),
      ];
      out[plan.tempMax as number] = [last({ ...tags, sensor: "x" }, T - 3_600_000, 91)];
      out[plan.ping as number] = [{ ...last(tags, T - 40 * S, 100), name: "ping" }];
      out[plan.pingRtt as number] = [{ ...last(tags, T - 40 * S, 0), name: "ping" }];
      return out;
    });
    expect(byHost(nodes, "h")).toMatchObject({
      tempC: 57,
      tempAt: T - 50 * S,
      windowMaxC: 91,
      windowMaxAt: T - 3_600_000,
      pingAt: T - 40 * S,
      lossPct: 100,
      rttMs: 0,
      lastPointAt: T - 40 * S,
    });
  });
});

describe("reduceTick, wrong clocks", () => {
  const tags = { site: "s1", cluster: "k3s", host: "nuc-01" };
  const empty = (plan: ReturnType<typeof tickStatements>) => {
    const out: InfluxSeries[][] = [];
    out[plan.temp] = raw(TEMP_COLS, []);
    return out;
  };
  const probeAnswer =
    (o: { future?: number; ancient?: number; lookback?: number }) =>
    (plan: ReturnType<typeof tickStatements>) => {
      const out = empty(plan);
      const p = plan.probes;
      if (!p) throw new Error("no probes planned");
      out[p.future] = o.future === undefined ? [] : [last(tags, o.future, 96.5)];
      out[p.ancient] = o.ancient === undefined ? [] : [last(tags, o.ancient, 51)];
      out[p.lookbackTemp] = o.lookback === undefined ? [] : [last(tags, o.lookback, 52)];
      return out;
    };

  it("flags a host writing two hours ahead, keeps its plausible reading, and follows the skew", () => {
    const seen = tick(T, T - 10 * S, (plan) => {
      const out = empty(plan);
      out[plan.temp] = raw(TEMP_COLS, [[T - 5 * S, 52, "s1", "k3s", "nuc-01", "cpu"]]);
      return out;
    }).nodes;
    const ahead = tick(T + 10 * S, T, probeAnswer({ future: T + 10 * S + 2 * 3_600_000 - 4 * S }), seen, [
      "nuc-01",
    ]);
    const n = byHost(ahead.nodes, "nuc-01");
    expect(n.skewMs).toBe(2 * 3_600_000 - 4 * S);
    expect(n).toMatchObject({ tempC: 52, tempAt: T - 5 * S, skewSeenAt: T + 10 * S });
    // Still writing ahead: the evidence advances and stays live.
    const later = tick(
      T + 20 * S,
      T + 10 * S,
      probeAnswer({ future: T + 20 * S + 2 * 3_600_000 - 2 * S }),
      ahead.nodes,
      ["nuc-01"],
    );
    expect(byHost(later.nodes, "nuc-01")).toMatchObject({ skewSeenAt: T + 20 * S });
    expect(later.silentHosts[0]).toBe("nuc-01");
    // The clock is fixed: plausible points again, the flag goes.
    const fixed = tick(
      T + 30 * S,
      T + 20 * S,
      (plan) => {
        const out = empty(plan);
        out[plan.temp] = raw(TEMP_COLS, [[T + 28 * S, 53, "s1", "k3s", "nuc-01", "cpu"]]);
        return out;
      },
      later.nodes,
    );
    expect(byHost(fixed.nodes, "nuc-01")).toMatchObject({ skewMs: null, tempC: 53, probeNewestAt: null });
  });

  it("forgets skew evidence that stopped advancing (leftover future points of a dark host)", () => {
    const future = T + 2 * 3_600_000;
    const first = tick(T, T - 10 * S, probeAnswer({ future }), [], ["nuc-01"]).nodes;
    expect(byHost(first, "nuc-01").skewMs).not.toBeNull();
    let nodes = first;
    let now = T;
    while (now - T <= SKEW_EVIDENCE_MAX_AGE_MS) {
      const prev = now;
      now += 10 * S;
      nodes = tick(now, prev, probeAnswer({ future }), nodes, ["nuc-01"]).nodes;
    }
    expect(nodes.find((n) => n.host === "nuc-01")?.skewMs ?? null).toBeNull();
  });

  it("flags a board that booted in 1970 from its first points, before it ever sent a plausible one", () => {
    const { nodes } = tick(T, T - 10 * S, probeAnswer({ ancient: 95_000 }), [], ["nuc-01"]);
    const n = byHost(nodes, "nuc-01");
    expect(n.skewMs).toBe(95_000 - T);
    expect(n).toMatchObject({ lastPointAt: null, tempC: null, siteId: "site:s1" });
  });

  it("tells a lagging clock (steady lag) from a backlog being flushed (lag shrinking)", () => {
    const lag = 2 * 3_600_000;
    const a = tick(T, T - 10 * S, probeAnswer({ lookback: T - lag }), [], ["nuc-01"]).nodes;
    expect(byHost(a, "nuc-01")).toMatchObject({ skewMs: null, lastPointAt: T - lag, tempC: 52 });
    const b = tick(T + 10 * S, T, probeAnswer({ lookback: T + 10 * S - lag }), a, ["nuc-01"]).nodes;
    expect(byHost(b, "nuc-01").skewMs).toBe(-lag);

    const flushing1 = tick(T, T - 10 * S, probeAnswer({ lookback: T - lag }), [], ["nuc-01"]).nodes;
    const flushing2 = tick(T + 10 * S, T, probeAnswer({ lookback: T - lag / 2 }), flushing1, [
      "nuc-01",
    ]).nodes;
    expect(byHost(flushing2, "nuc-01")).toMatchObject({ skewMs: null, lastPointAt: T - lag / 2 });
  });

  it("a silent host with nothing new is just silent", () => {
    const a = tick(T, T - 10 * S, probeAnswer({ lookback: T - 3_600_000 }), [], ["nuc-01"]).nodes;
    const b = tick(T + 10 * S, T, probeAnswer({ lookback: T - 3_600_000 }), a, ["nuc-01"]).nodes;
    expect(byHost(b, "nuc-01")).toMatchObject({ skewMs: null, lastPointAt: T - 3_600_000 });
    // Probe answers for hosts nobody asked about are ignored.
    const other = tick(T, T - 10 * S, probeAnswer({ future: T + 3_600_000 }), [], ["someone-else"]).nodes;
    expect(other).toEqual([]);
  });
});
