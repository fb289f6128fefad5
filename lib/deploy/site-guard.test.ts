import { describe, expect, it } from "vitest";
import { newlyWorse, sampleCondition } from "./site-guard";

const problem = (kind: "Deployment" | "Pod", namespace: string, name: string, text: string) => ({
  kind,
  namespace,
  name,
  problem: text,
  since: null,
});

describe("site guard", () => {
  it("ignores the rollout's own workloads and their pods", () => {
    const sample = sampleCondition(
      { notReady: [], pressure: [] },
      [
        problem("Deployment", "pos", "pos-api", "0/1 available"),
        problem("Pod", "pos", "pos-api-abc12-xyz", "ContainerCreating"),
        problem("Deployment", "kube-system", "traefik", "0/1 available"),
      ],
      [{ namespace: "pos", name: "pos-api" }],
    );
    expect(sample.otherProblems).toEqual(["Deployment kube-system/traefik: 0/1 available"]);
  });

  it("names what is newly wrong: nodes, pressure, other workloads", () => {
    const before = sampleCondition({ notReady: [], pressure: ["pi-01: DiskPressure"] }, [], []);
    const after = sampleCondition(
      {
        notReady: [{ name: "pi-02", status: "False", reason: null, since: null }],
        pressure: ["pi-01: DiskPressure", "pi-01: MemoryPressure"],
      },
      [problem("Deployment", "kube-system", "coredns", "0/1 available")],
      [],
    );
    expect(newlyWorse(before, after)).toBe(
      "node pi-02 NotReady; pi-01: MemoryPressure; Deployment kube-system/coredns: 0/1 available",
    );
    expect(newlyWorse(after, after)).toBeNull();
    expect(newlyWorse(after, before)).toBeNull();
    expect(newlyWorse(undefined, after)).toBeNull();
  });
});
