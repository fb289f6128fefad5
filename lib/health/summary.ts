// The compact digest the collector stores with every successful poll. Built
// from nodeHealth so a fleet list and a node page can never disagree.
import { nodeHealth } from "./node";
import type { ClusterSnapshot, ClusterSummary } from "./types";

/** How many workload problems the summary carries by name; the count covers the rest. */
export const SUMMARY_WORKLOAD_PROBLEMS = 5;

export function summarizeSnapshot(snapshot: ClusterSnapshot): ClusterSummary {
  const observedMs = Date.parse(snapshot.observedAt);
  const notReady: ClusterSummary["notReady"] = [];
  const cordoned: string[] = [];
  const pressure: string[] = [];
  let readyCount = 0;
  for (const node of snapshot.nodes) {
    const h = nodeHealth(node, Number.isNaN(observedMs) ? snapshot.observedAt : observedMs);
    if (h.readiness === "Ready") readyCount++;
    else
      notReady.push({
        name: h.name,
        status: h.readiness === "NotReady" ? "False" : "Unknown",
        reason: h.reason,
        since: h.since,
      });
    if (h.isCordoned) cordoned.push(h.name);
    for (const p of h.pressures) pressure.push(`${h.name}: ${p}`);
  }
  return {
    observedAt: snapshot.observedAt,
    nodeCount: snapshot.nodes.length,
    readyCount,
    notReady,
    cordoned,
    pressure,
    workloadProblemCount: snapshot.workloadProblems.length,
    workloadProblems: snapshot.workloadProblems
      .slice(0, SUMMARY_WORKLOAD_PROBLEMS)
      .map((w) => ({ name: w.name, problem: w.problem })),
    warningEventCount: snapshot.warningEvents.length,
  };
}
