// One node's health from a snapshot, judged at the snapshot's own observation
// time (not now): the summary stored with a poll must not change as it ages.
import { toIso, toMs } from "./format";
import { NODE_LEASE_GRACE_MS, type NodeHealth, type NodeReadiness, type PressureCondition } from "./model";
import type { NodeSnapshot } from "./types";

const PRESSURE_TYPES: readonly PressureCondition[] = ["MemoryPressure", "DiskPressure", "PIDPressure"];

export function nodeHealth(node: NodeSnapshot, observedAt: string | number): NodeHealth {
  const observedMs = typeof observedAt === "number" ? observedAt : toMs(observedAt);
  const ready = node.conditions.find((c) => c.type === "Ready");
  const leaseMs = toMs(node.leaseRenewTime);
  // Without a lease (old cluster, no RBAC on kube-node-lease) there is no heartbeat evidence either way.
  const leaseAgeMs = leaseMs === null || observedMs === null ? null : Math.max(0, observedMs - leaseMs);
  const isHeartbeatLost = leaseAgeMs !== null && leaseAgeMs > NODE_LEASE_GRACE_MS;

  let readiness: NodeReadiness;
  let reason: string | null = ready?.reason ?? null;
  let since: string | null = ready?.lastTransitionTime ?? null;
  if (!ready) {
    readiness = "Unknown";
    reason = "NoReadyCondition";
  } else if (ready.status === "False") {
    readiness = "NotReady";
  } else if (ready.status === "Unknown") {
    readiness = "Unknown";
  } else if (isHeartbeatLost) {
    // The node controller has not noticed yet (or is itself down), but the
    // kubelet stopped renewing its lease: the "Ready" is a leftover.
    readiness = "Unknown";
    reason = "HeartbeatLost";
    since = toIso(leaseMs);
  } else {
    readiness = "Ready";
  }

  const pressures: PressureCondition[] = [];
  for (const type of PRESSURE_TYPES) {
    if (node.conditions.some((c) => c.type === type && c.status === "True")) pressures.push(type);
  }

  return {
    name: node.name,
    readiness,
    reason,
    since,
    isCordoned: node.isUnschedulable,
    pressures,
    leaseAgeMs,
    isHeartbeatLost,
  };
}
