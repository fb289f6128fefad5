import { describe, expect, it } from "vitest";
import {
  buildThresholdChain,
  describeSource,
  describeThreshold,
  nodeKey,
  resolveThreshold,
  type ThresholdSetting,
} from "./chain";

const FLEET = { warnCelsius: 80, criticalCelsius: null };

function set(
  level: ThresholdSetting["level"],
  scopeKey: string,
  warnCelsius: number,
  criticalCelsius: number | null = null,
  scopeName?: string,
): ThresholdSetting {
  return { level, scopeKey, warnCelsius, criticalCelsius, ...(scopeName ? { scopeName } : {}) };
}

const turbine = { kind: "wind-farm", siteId: "wf1", clusterId: "c7", node: "t07-node" };

describe("resolveThreshold", () => {
  it("falls back to the fleet default when nothing else is set", () => {
    const chain = buildThresholdChain(FLEET, []);
    expect(resolveThreshold(chain, turbine)).toEqual({
      celsius: 80,
      source: { level: "fleet", name: null },
      critical: null,
    });
  });

  it("takes the most specific level: kind < site < cluster < node", () => {
    const settings = [
      set("kind", "wind-farm", 78, null, "wind-farm"),
      set("site", "wf1", 82, null, "North Sea 1"),
      set("cluster", "c7", 84, null, "turbine-07"),
      set("node", nodeKey("c7", "t07-node"), 86, null, "t07-node"),
    ];
    const all = buildThresholdChain(FLEET, settings);
    expect(resolveThreshold(all, turbine).celsius).toBe(86);
    expect(resolveThreshold(all, turbine).source.level).toBe("node");
    expect(resolveThreshold(buildThresholdChain(FLEET, settings.slice(0, 3)), turbine).celsius).toBe(84);
    expect(resolveThreshold(buildThresholdChain(FLEET, settings.slice(0, 2)), turbine).source).toEqual({
      level: "site",
      name: "North Sea 1",
    });
    expect(resolveThreshold(buildThresholdChain(FLEET, settings.slice(0, 1)), turbine).celsius).toBe(78);
  });

  it("does not apply one site's or kind's setting to another", () => {
    const chain = buildThresholdChain(FLEET, [set("site", "other", 60), set("kind", "store", 70)]);
    expect(resolveThreshold(chain, turbine).celsius).toBe(80);
    expect(resolveThreshold(chain, { kind: "store", siteId: "s1" }).celsius).toBe(70);
  });

  it("answers site-level questions without cluster or node", () => {
    const chain = buildThresholdChain(FLEET, [
      set("site", "wf1", 82),
      set("node", nodeKey("c7", "t07-node"), 90),
    ]);
    expect(resolveThreshold(chain, { kind: "wind-farm", siteId: "wf1" }).celsius).toBe(82);
  });

  it("a node override is per cluster: the same node name elsewhere keeps the site's value", () => {
    const chain = buildThresholdChain(FLEET, [set("site", "wf1", 82), set("node", nodeKey("c7", "n"), 90)]);
    expect(resolveThreshold(chain, { ...turbine, clusterId: "c8", node: "n" }).celsius).toBe(82);
    expect(resolveThreshold(chain, { ...turbine, clusterId: "c7", node: "n" }).celsius).toBe(90);
  });

  it("finds a node override by site when telemetry could not join the host to a cluster", () => {
    const chain = buildThresholdChain(
      FLEET,
      [set("node", nodeKey("c7", "t07-node"), 90)],
      new Map([["c7", "wf1"]]),
    );
    expect(resolveThreshold(chain, { ...turbine, clusterId: null }).celsius).toBe(90);
    expect(resolveThreshold(chain, { ...turbine, siteId: "wf2", clusterId: null }).celsius).toBe(80);
  });

  it("a stored fleet row replaces the configured default", () => {
    const chain = buildThresholdChain(FLEET, [set("fleet", "", 75, 90)]);
    expect(resolveThreshold(chain, turbine)).toMatchObject({ celsius: 75, critical: { celsius: 90 } });
  });

  it("resolves critical on its own and drops it when it is not above the warning level", () => {
    const chain = buildThresholdChain({ warnCelsius: 80, criticalCelsius: 90 }, [set("site", "wf1", 85)]);
    expect(resolveThreshold(chain, turbine)).toMatchObject({
      celsius: 85,
      source: { level: "site" },
      critical: { celsius: 90, source: { level: "fleet" } },
    });
    const higher = buildThresholdChain({ warnCelsius: 80, criticalCelsius: 90 }, [set("site", "wf1", 95)]);
    expect(resolveThreshold(higher, turbine).critical).toBeNull();
    const equal = buildThresholdChain({ warnCelsius: 80, criticalCelsius: 90 }, [set("site", "wf1", 90)]);
    expect(resolveThreshold(equal, turbine).critical).toBeNull();
    const own = buildThresholdChain({ warnCelsius: 80, criticalCelsius: 90 }, [
      set("node", nodeKey("c7", "t07-node"), 95, 99),
    ]);
    expect(resolveThreshold(own, turbine).critical).toMatchObject({ celsius: 99, source: { level: "node" } });
  });
});

describe("describeSource", () => {
  it("names the level the way each page reads it", () => {
    expect(describeSource({ level: "fleet", name: null })).toBe("fleet default");
    expect(describeSource({ level: "kind", name: "wind-farm" })).toBe("default for wind farms");
    expect(describeSource({ level: "site", name: "Berlin" }, "site")).toBe("set on this site");
    expect(describeSource({ level: "site", name: "Berlin" })).toBe("set on site Berlin");
    expect(describeSource({ level: "cluster", name: "edge" })).toBe("set on cluster edge");
    expect(describeSource({ level: "node", name: "pi-02" }, "node")).toBe("set on this node");
    expect(describeSource({ level: "node", name: "pi-02" })).toBe("set on node pi-02");
  });
  it("formats the value with its source", () => {
    const chain = buildThresholdChain(FLEET, [set("site", "wf1", 82, null, "North Sea 1")]);
    expect(describeThreshold(resolveThreshold(chain, turbine), "site")).toBe("82 °C, set on this site");
    expect(describeThreshold(resolveThreshold(buildThresholdChain(FLEET, []), turbine))).toBe(
      "80 °C, fleet default",
    );
    expect(
      describeThreshold(
        resolveThreshold(buildThresholdChain({ warnCelsius: 80.25, criticalCelsius: null }, []), turbine),
      ),
    ).toBe("80.3 °C, fleet default");
  });
});
