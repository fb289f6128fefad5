import { describe, expect, it } from "vitest";
import { strategyWith } from "./strategy";
import { type PlanTarget, planWaves } from "./waves";

function targets(n: number, site = (i: number) => `site-${String(i).padStart(3, "0")}`): PlanTarget[] {
  return Array.from({ length: n }, (_, i) => ({
    clusterId: `c${i}`,
    siteId: `s${i}`,
    siteSlug: site(i),
    clusterName: "edge",
    siteLabels: (i % 3 === 0 ? {} : { region: i % 3 === 1 ? "eu" : "us" }) as Record<string, string>,
    clusterLabels: { tier: i % 2 ? "b" : "a" },
  }));
}

const sizes = (waves: { clusterIds: string[] }[]) => waves.map((w) => w.clusterIds.length);

describe("planWaves", () => {
  it("defaults to a canary of one, then 10 % / 50 % / 100 % of the rest", () => {
    const waves = planWaves(targets(101), strategyWith());
    expect(waves.map((w) => w.name)).toEqual(["canary", "10 %", "50 %", "100 %"]);
    expect(sizes(waves)).toEqual([1, 10, 40, 50]);
    expect(new Set(waves.flatMap((w) => w.clusterIds)).size).toBe(101);
  });

  it("orders by site then cluster so the canary is stable", () => {
    const shuffled = targets(5).reverse();
    expect(planWaves(shuffled, strategyWith())[0]?.clusterIds).toEqual(["c0"]);
  });

  it("uses named canary clusters, ignoring names not among the targets", () => {
    const waves = planWaves(
      targets(5),
      strategyWith({ canary: { clusterIds: ["c3", "nope"] }, waves: { by: "all" } }),
    );
    expect(waves).toEqual([
      { name: "canary", clusterIds: ["c3"] },
      { name: "all", clusterIds: ["c0", "c1", "c2", "c4"] },
    ]);
  });

  it("never makes an empty wave, and every step takes at least one target", () => {
    expect(sizes(planWaves(targets(3), strategyWith()))).toEqual([1, 1, 1]);
    expect(sizes(planWaves(targets(1), strategyWith()))).toEqual([1]);
    expect(planWaves([], strategyWith())).toEqual([]);
    expect(
      sizes(
        planWaves(targets(4), strategyWith({ canary: { count: 0 }, waves: { by: "percent", steps: [50] } })),
      ),
    ).toEqual([2, 2]);
  });

  it("takes fixed-size chunks", () => {
    expect(
      sizes(planWaves(targets(7), strategyWith({ canary: { count: 0 }, waves: { by: "count", size: 3 } }))),
    ).toEqual([3, 3, 1]);
  });

  it("goes one site at a time", () => {
    const farm = targets(6, (i) => (i < 4 ? "wf-north" : "wf-south"));
    const waves = planWaves(farm, strategyWith({ canary: { count: 1 }, waves: { by: "site" } }));
    expect(waves.map((w) => [w.name, w.clusterIds.length])).toEqual([
      ["canary", 1],
      ["wf-north", 3],
      ["wf-south", 2],
    ]);
  });

  it("goes one label value at a time, unlabelled last", () => {
    const waves = planWaves(
      targets(6),
      strategyWith({ canary: { count: 0 }, waves: { by: "label", key: "region" } }),
    );
    expect(waves.map((w) => [w.name, w.clusterIds])).toEqual([
      ["region=eu", ["c1", "c4"]],
      ["region=us", ["c2", "c5"]],
      ["no region label", ["c0", "c3"]],
    ]);
    const byCluster = planWaves(
      targets(4),
      strategyWith({ canary: { count: 0 }, waves: { by: "label", key: "tier", scope: "cluster" } }),
    );
    expect(byCluster.map((w) => w.name)).toEqual(["tier=a", "tier=b"]);
  });
});
