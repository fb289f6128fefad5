import { describe, expect, it } from "vitest";
import { describeRestart, RESTARTED_AT, restartPatch, restartSpecSchema } from "./restart";

describe("restart spec", () => {
  it("takes named workloads or a label selector", () => {
    expect(restartSpecSchema.parse({ labelSelector: "app=pos-api" }).kinds).toEqual([
      "Deployment",
      "DaemonSet",
      "StatefulSet",
    ]);
    expect(restartSpecSchema.safeParse({}).success).toBe(false);
    expect(restartSpecSchema.safeParse({ labelSelector: "app in (a b" }).success).toBe(false);
    expect(
      restartSpecSchema.safeParse({ workloads: [{ kind: "Pod", namespace: "a", name: "b" }] }).success,
    ).toBe(false);
    const named = restartSpecSchema.parse({
      workloads: [{ kind: "Deployment", namespace: "pos", name: "pos-api" }],
    });
    expect(describeRestart(named)).toBe("Deployment pos/pos-api");
    expect(
      describeRestart(
        restartSpecSchema.parse({ labelSelector: "app=x", namespace: "pos", kinds: ["Deployment"] }),
      ),
    ).toBe("Deployment matching app=x in pos");
  });

  it("patches the template annotation the way kubectl rollout restart does", () => {
    expect(restartPatch("2026-12-01T12:00:00Z")).toEqual({
      spec: { template: { metadata: { annotations: { [RESTARTED_AT]: "2026-12-01T12:00:00Z" } } } },
    });
  });
});
