import { describe, expect, it } from "vitest";
import { rangesBetween } from "./model";
import { chooseRange, narrowFilter } from "./scope";

const grant = { ranges: rangesBetween("1h", "24h"), defaultRange: "6h" as const };

describe("ranges an embed may show", () => {
  it("lists the presets between two ends in order", () => {
    expect(rangesBetween("1h", "7d")).toEqual(["1h", "6h", "24h", "7d"]);
    expect(rangesBetween("7d", "1h")).toEqual(["1h", "6h", "24h", "7d"]);
    expect(rangesBetween("15m", "15m")).toEqual(["15m"]);
  });

  it("uses the default, the viewer's choice within the grant, or the token's pin", () => {
    expect(chooseRange(grant, undefined, undefined)).toBe("6h");
    expect(chooseRange(grant, undefined, "")).toBe("6h");
    expect(chooseRange(grant, undefined, "24h")).toBe("24h");
    expect(chooseRange(grant, "1h", undefined)).toBe("1h");
    expect(chooseRange(grant, "1h", "1h")).toBe("1h");
  });

  it("refuses ranges beyond the grant, custom ranges and changes to a pinned range", () => {
    expect(chooseRange(grant, undefined, "7d")).toMatchObject({ reason: "range" });
    expect(chooseRange(grant, undefined, "30d")).toMatchObject({ reason: "range" });
    expect(chooseRange(grant, undefined, "custom")).toMatchObject({ reason: "range" });
    expect(chooseRange(grant, "15m", undefined)).toMatchObject({ reason: "range" });
    expect(chooseRange(grant, "1h", "24h")).toMatchObject({ reason: "range" });
  });
});

describe("filters only narrow", () => {
  it("adds what the grant left open and refuses changes to what it fixed", () => {
    expect(narrowFilter({}, { kind: "store" })).toEqual({ kind: "store" });
    expect(narrowFilter({ kind: "store" }, {})).toEqual({ kind: "store" });
    expect(narrowFilter({ kind: "store" }, { kind: "store", label: "region=north" })).toEqual({
      kind: "store",
      label: "region=north",
    });
    expect(narrowFilter({ kind: "store" }, { kind: "vehicle" })).toMatchObject({ reason: "scope" });
    expect(narrowFilter({ label: "chain=acme" }, { label: "chain" })).toMatchObject({ reason: "scope" });
  });
});
