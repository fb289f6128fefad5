import { describe, expect, it } from "vitest";
import { describeStrategy, strategySchema, strategyWith } from "./strategy";

describe("strategy", () => {
  it("has careful defaults", () => {
    const s = strategyWith();
    expect(s).toMatchObject({
      canary: { clusterIds: [], count: 1 },
      waves: { by: "percent", steps: [10, 50, 100] },
      soakSeconds: 300,
      failureThreshold: { maxFailed: 0 },
      failureAction: "pause",
      expiryHours: 72,
      requireSiteHealthy: true,
    });
    expect(describeStrategy(s)).toBe(
      "canary 1, then 10 % / 50 % / 100 %; 20 in flight (2 per site); soak 300 s; pause after 0 failed",
    );
  });

  it("refuses what makes no sense, naming the field", () => {
    const bad = strategySchema.safeParse({
      waves: { by: "percent", steps: [50, 10] },
      maxInFlight: 0,
      bogus: true,
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join(".")) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["waves.steps", "maxInFlight"]));
    expect(strategySchema.safeParse({ waves: { by: "label", key: "not a key" } }).success).toBe(false);
  });
});
