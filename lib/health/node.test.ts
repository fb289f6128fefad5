import { describe, expect, it } from "vitest";
import { nodeHealth } from "./node";
import { summarizeSnapshot } from "./summary";
import { ago, iso, NOW, nodeSnapshot, SECOND } from "./test-fixtures";
import type { ClusterSnapshot, NodeConditionSnapshot } from "./types";

const OBSERVED = iso(NOW);

function cond(
  type: string,
  status: NodeConditionSnapshot["status"],
  reason: string | null = null,
  since = ago(60 * SECOND),
) {
  return { type, status, reason, message: null, lastHeartbeatTime: null, lastTransitionTime: since };
}

describe("nodeHealth", () => {
  it("is Ready with a fresh lease", () => {
    const h = nodeHealth(
      nodeSnapshot("n1", {
        conditions: [cond("Ready", "True", "KubeletReady")],
        leaseRenewTime: ago(10 * SECOND),
      }),
      OBSERVED,
    );
    expect(h).toMatchObject({
      readiness: "Ready",
      leaseAgeMs: 10 * SECOND,
      isHeartbeatLost: false,
      isCordoned: false,
      pressures: [],
    });
  });

  it("keeps Ready at exactly 50 s of lease age and loses the heartbeat just after", () => {
    const at = nodeHealth(
      nodeSnapshot("n1", { conditions: [cond("Ready", "True")], leaseRenewTime: ago(50 * SECOND) }),
      OBSERVED,
    );
    expect(at.readiness).toBe("Ready");
    const lease = ago(50 * SECOND + 1);
    const after = nodeHealth(
      nodeSnapshot("n1", { conditions: [cond("Ready", "True")], leaseRenewTime: lease }),
      OBSERVED,
    );
    expect(after).toMatchObject({
      readiness: "Unknown",
      reason: "HeartbeatLost",
      since: lease,
      isHeartbeatLost: true,
    });
  });

  it("judges the lease at observation time, not at reading time", () => {
    const node = nodeSnapshot("n1", {
      conditions: [cond("Ready", "True")],
      leaseRenewTime: ago(10 * SECOND),
    });
    expect(nodeHealth(node, NOW).readiness).toBe("Ready");
    expect(nodeHealth(node, NOW + 60 * SECOND).readiness).toBe("Unknown");
  });

  it("reports NotReady with the kubelet's reason and transition time", () => {
    const since = ago(5 * 60 * SECOND);
    const h = nodeHealth(
      nodeSnapshot("n2", { conditions: [cond("Ready", "False", "KubeletNotReady", since)] }),
      OBSERVED,
    );
    expect(h).toMatchObject({ readiness: "NotReady", reason: "KubeletNotReady", since, leaseAgeMs: null });
  });

  it("keeps NotReady (the more specific answer) when the lease is also old", () => {
    const h = nodeHealth(
      nodeSnapshot("n2", {
        conditions: [cond("Ready", "False", "KubeletNotReady")],
        leaseRenewTime: ago(120 * SECOND),
      }),
      OBSERVED,
    );
    expect(h.readiness).toBe("NotReady");
    expect(h.isHeartbeatLost).toBe(true);
  });

  it("is Unknown when the node controller says so or when there is no Ready condition", () => {
    expect(
      nodeHealth(
        nodeSnapshot("n3", { conditions: [cond("Ready", "Unknown", "NodeStatusUnknown")] }),
        OBSERVED,
      ),
    ).toMatchObject({
      readiness: "Unknown",
      reason: "NodeStatusUnknown",
    });
    expect(nodeHealth(nodeSnapshot("n3"), OBSERVED)).toMatchObject({
      readiness: "Unknown",
      reason: "NoReadyCondition",
    });
  });

  it("lists pressure conditions that are True and cordoning", () => {
    const h = nodeHealth(
      nodeSnapshot("n4", {
        isUnschedulable: true,
        conditions: [
          cond("Ready", "True"),
          cond("MemoryPressure", "True"),
          cond("DiskPressure", "False"),
          cond("PIDPressure", "True"),
        ],
      }),
      OBSERVED,
    );
    expect(h.pressures).toEqual(["MemoryPressure", "PIDPressure"]);
    expect(h.isCordoned).toBe(true);
  });
});

describe("summarizeSnapshot", () => {
  const snapshot: ClusterSnapshot = {
    observedAt: OBSERVED,
    gitVersion: "v1.31.4+k3s1",
    platform: "linux/arm64",
    nodes: [
      nodeSnapshot("store-12-n1", {
        conditions: [cond("Ready", "True"), cond("MemoryPressure", "True")],
        leaseRenewTime: ago(5 * SECOND),
      }),
      nodeSnapshot("store-12-n2", {
        conditions: [cond("Ready", "False", "KubeletNotReady", ago(300 * SECOND))],
      }),
      nodeSnapshot("store-12-n3", {
        conditions: [cond("Ready", "True")],
        leaseRenewTime: ago(90 * SECOND),
        isUnschedulable: true,
      }),
      nodeSnapshot("store-12-n4", { conditions: [cond("Ready", "True")], leaseRenewTime: ago(3 * SECOND) }),
    ],
    workloadProblems: Array.from({ length: 7 }, (_, i) => ({
      kind: "Deployment" as const,
      namespace: "pos",
      name: `app-${i}`,
      problem: "0/1 available",
      since: null,
    })),
    warningEvents: [
      {
        namespace: "pos",
        involvedObject: "pod/x",
        reason: "BackOff",
        message: "m",
        count: 3,
        lastTimestamp: null,
      },
    ],
    partialErrors: [],
  };
  const summary = summarizeSnapshot(snapshot);

  it("counts readiness exactly as nodeHealth judges it", () => {
    for (const node of snapshot.nodes) {
      const isReady = nodeHealth(node, snapshot.observedAt).readiness === "Ready";
      expect(summary.notReady.some((n) => n.name === node.name)).toBe(!isReady);
    }
    expect(summary.nodeCount).toBe(4);
    expect(summary.readyCount).toBe(2);
  });

  it("keeps reason, status and since of NotReady and heartbeat-lost nodes", () => {
    expect(summary.notReady).toEqual([
      { name: "store-12-n2", status: "False", reason: "KubeletNotReady", since: ago(300 * SECOND) },
      { name: "store-12-n3", status: "Unknown", reason: "HeartbeatLost", since: ago(90 * SECOND) },
    ]);
  });

  it("carries cordoned nodes, pressure, a few workload problems and counts", () => {
    expect(summary.cordoned).toEqual(["store-12-n3"]);
    expect(summary.pressure).toEqual(["store-12-n1: MemoryPressure"]);
    expect(summary.workloadProblemCount).toBe(7);
    expect(summary.workloadProblems).toHaveLength(5);
    expect(summary.workloadProblems[0]).toEqual({ name: "app-0", problem: "0/1 available" });
    expect(summary.warningEventCount).toBe(1);
    expect(summary.observedAt).toBe(OBSERVED);
  });
});
