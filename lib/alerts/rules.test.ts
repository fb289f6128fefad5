import { describe, expect, it } from "vitest";
import { zodIssues } from "@/lib/api/parse";
import { isInScope, ruleInputSchema } from "./rules";
import { type MatchTarget, matchesAll, type Silence, silencedBy, silenceInputSchema } from "./silences";

function issues(raw: unknown) {
  const r = ruleInputSchema.safeParse(raw);
  return r.success ? [] : zodIssues(r.error);
}

describe("rule input", () => {
  it("fills Alertmanager-like and issue defaults", () => {
    const r = ruleInputSchema.parse({ name: "Board temperature", kind: "temperature" });
    expect(r).toMatchObject({
      isEnabled: true,
      warnCelsius: null,
      criticalCelsius: null,
      clearMargin: 3,
      forSeconds: 120,
      clearForSeconds: 300,
      noDataSeconds: 300,
      groupWaitSeconds: 30,
      groupIntervalSeconds: 300,
      repeatIntervalSeconds: 14_400,
      scope: { siteKinds: [], siteIds: [], labels: {} },
    });
    // Site unreachable: the health model already waited; it fires at once.
    expect(ruleInputSchema.parse({ name: "Dark", kind: "site-unreachable" }).forSeconds).toBe(0);
  });

  it("names each bad field", () => {
    expect(issues({ name: "", kind: "temperature" })).toEqual([{ path: "name", message: "is required" }]);
    expect(issues({ name: "x", kind: "humidity" })[0]?.path).toBe("kind");
    expect(issues({ name: "x", kind: "temperature", clearMargin: 0 })).toEqual([
      { path: "clearMargin", message: "the clear level must be below the level: give a margin above 0" },
    ]);
    expect(issues({ name: "x", kind: "temperature", forSeconds: 7200 })).toEqual([
      { path: "forSeconds", message: "at most 1 hour" },
    ]);
    expect(issues({ name: "x", kind: "temperature", clearForSeconds: -1 })).toEqual([
      { path: "clearForSeconds", message: "cannot be negative" },
    ]);
    expect(issues({ name: "x", kind: "temperature", noDataSeconds: 10 })).toEqual([
      { path: "noDataSeconds", message: "at least 1 minute" },
    ]);
    expect(issues({ name: "x", kind: "temperature", warnCelsius: 80, criticalCelsius: 75 })).toEqual([
      { path: "criticalCelsius", message: "must be above the warning level" },
    ]);
    expect(issues({ name: "x", kind: "node-not-ready", warnCelsius: 80 })).toEqual([
      { path: "warnCelsius", message: "only temperature rules have levels" },
    ]);
    expect(
      issues({ name: "x", kind: "temperature", groupIntervalSeconds: 7200, repeatIntervalSeconds: 3600 }),
    ).toEqual([{ path: "repeatIntervalSeconds", message: "must be at least the group interval" }]);
  });

  it("scope: kinds, site ids and labels must all match", () => {
    const site = { id: "s1", kind: "store", labels: { region: "eu", tier: "a" } };
    const scope = (raw: unknown) =>
      ruleInputSchema.parse({ name: "x", kind: "temperature", scope: raw }).scope;
    expect(isInScope(scope({}), site)).toBe(true);
    expect(isInScope(scope({ siteKinds: ["store"] }), site)).toBe(true);
    expect(isInScope(scope({ siteKinds: ["wind-farm"] }), site)).toBe(false);
    expect(isInScope(scope({ siteIds: ["s2"] }), site)).toBe(false);
    expect(isInScope(scope({ labels: { region: "eu" } }), site)).toBe(true);
    expect(isInScope(scope({ labels: { region: "eu", tier: "b" } }), site)).toBe(false);
  });
});

describe("silences", () => {
  const target: MatchTarget = {
    site: "store-1",
    kind: "store",
    node: "n1",
    cluster: "edge",
    rule: "temp",
    alertKind: "temperature",
    severity: "warning",
    siteLabels: { region: "eu" },
  };
  const T = Date.UTC(2026, 11, 1, 12);
  const silence = (matchers: Silence["matchers"], startsAt = T - 1, endsAt = T + 60_000): Silence => ({
    id: "s",
    matchers,
    startsAt,
    endsAt,
    comment: "c",
    createdBy: "op",
  });

  it("every matcher must match; != excludes", () => {
    expect(matchesAll([{ name: "site", op: "=", value: "store-1" }], target)).toBe(true);
    expect(
      matchesAll(
        [
          { name: "site", op: "=", value: "store-1" },
          { name: "node", op: "=", value: "n2" },
        ],
        target,
      ),
    ).toBe(false);
    expect(matchesAll([{ name: "node", op: "!=", value: "n2" }], target)).toBe(true);
    expect(matchesAll([{ name: "label:region", op: "=", value: "eu" }], target)).toBe(true);
    expect(matchesAll([{ name: "label:tier", op: "=", value: "a" }], target)).toBe(false);
    expect(
      matchesAll(
        [
          { name: "kind", op: "=", value: "store" },
          { name: "rule", op: "=", value: "temp" },
        ],
        target,
      ),
    ).toBe(true);
  });

  it("only while active: start inclusive, end exclusive", () => {
    const s = silence([{ name: "site", op: "=", value: "store-1" }], T, T + 1000);
    expect(silencedBy([s], target, T - 1)).toBeNull();
    expect(silencedBy([s], target, T)?.id).toBe("s");
    expect(silencedBy([s], target, T + 1000)).toBeNull();
  });

  it("input: matchers, an end or a duration, and a comment", () => {
    const bad = silenceInputSchema.safeParse({ matchers: [], comment: "" });
    expect(bad.success ? [] : zodIssues(bad.error).map((i) => i.path)).toEqual(
      expect.arrayContaining(["matchers", "comment", "endsAt"]),
    );
    const name = silenceInputSchema.safeParse({
      matchers: [{ name: "planet", value: "x" }],
      durationMinutes: 10,
      comment: "x",
    });
    expect(name.success ? [] : zodIssues(name.error)).toEqual([
      {
        path: "matchers.0.name",
        message: "one of site, kind, node, cluster, rule, alertKind, severity or label:<key>",
      },
    ]);
    expect(
      silenceInputSchema.safeParse({
        matchers: [{ name: "label:region", value: "eu" }],
        durationMinutes: 60,
        comment: "x",
      }).success,
    ).toBe(true);
  });
});
