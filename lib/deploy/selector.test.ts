import { describe, expect, it } from "vitest";
import {
  describeSelector,
  matchesSelector,
  parseSelectorText,
  SelectorSyntaxError,
  targetSelectorSchema,
} from "./selector";

const site = { id: "s1", slug: "store-berlin-01", kind: "store", labels: { region: "eu", chain: "alpha" } };
const cluster = { id: "c1", name: "edge", labels: { tier: "pos" } };

describe("target selectors", () => {
  it("ANDs terms and ORs the values of one term", () => {
    expect(matchesSelector({ all: true }, site, cluster)).toBe(true);
    expect(matchesSelector({ kinds: ["vehicle", "store"] }, site, cluster)).toBe(true);
    expect(matchesSelector({ kinds: ["store"], siteLabels: { region: "us" } }, site, cluster)).toBe(false);
    expect(matchesSelector({ sites: ["s1"] }, site, cluster)).toBe(true);
    expect(
      matchesSelector({ sites: ["store-berlin-01"], clusterLabels: { tier: "pos" } }, site, cluster),
    ).toBe(true);
    expect(matchesSelector({ clusters: ["store-berlin-01/edge"] }, site, cluster)).toBe(true);
    expect(matchesSelector({ clusters: ["c2"] }, site, cluster)).toBe(false);
  });

  it("refuses an empty selector", () => {
    expect(targetSelectorSchema.safeParse({}).success).toBe(false);
    expect(targetSelectorSchema.safeParse({ sites: [] }).success).toBe(false);
    expect(targetSelectorSchema.safeParse({ unknown: 1, all: true }).success).toBe(false);
  });

  it("parses the CLI's --to text and writes it back", () => {
    const sel = parseSelectorText("kind=store|vehicle, region=eu,cluster.tier=pos");
    expect(sel).toEqual({
      kinds: ["store", "vehicle"],
      siteLabels: { region: "eu" },
      clusterLabels: { tier: "pos" },
    });
    expect(describeSelector(sel)).toBe("kind=store|vehicle,region=eu,cluster.tier=pos");
    expect(parseSelectorText("site=a|b")).toEqual({ sites: ["a", "b"] });
    expect(parseSelectorText("all")).toEqual({ all: true });
    expect(parseSelectorText("cluster=store-a/edge")).toEqual({ clusters: ["store-a/edge"] });
  });

  it("explains bad --to text", () => {
    expect(() => parseSelectorText("")).toThrow(SelectorSyntaxError);
    expect(() => parseSelectorText("stores")).toThrow('"stores" is not a selector term');
    expect(() => parseSelectorText("kind=")).toThrow('"kind=" has no value');
  });
});
