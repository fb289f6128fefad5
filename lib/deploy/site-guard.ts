// "The site is not newly degraded" for the health gate: what the collector last
// saw on the target cluster (nodes NotReady or under pressure, problems of
// OTHER workloads) compared before and after the apply. The rollout's own
// workloads are judged by the object gate, so their pending pods never count
// here. Pure.
import type { ClusterSummary, WorkloadProblem } from "@/lib/health/types";

export interface ConditionSample {
  notReady: string[];
  pressure: string[];
  otherProblems: string[];
}

export interface OwnWorkload {
  namespace?: string;
  name: string;
}

function isOurs(p: WorkloadProblem, ours: OwnWorkload[]): boolean {
  return ours.some(
    (o) =>
      (o.namespace === undefined || o.namespace === p.namespace) &&
      (p.name === o.name || (p.kind === "Pod" && p.name.startsWith(`${o.name}-`))),
  );
}

export function sampleCondition(
  summary: Pick<ClusterSummary, "notReady" | "pressure"> | null,
  problems: WorkloadProblem[] | null,
  ours: OwnWorkload[],
): ConditionSample {
  return {
    notReady: (summary?.notReady ?? []).map(
      (n) => `node ${n.name} ${n.status === "Unknown" ? "unreachable" : "NotReady"}`,
    ),
    pressure: summary?.pressure ?? [],
    otherProblems: (problems ?? [])
      .filter((p) => !isOurs(p, ours))
      .map((p) => `${p.kind} ${p.namespace}/${p.name}: ${p.problem}`),
  };
}

/** What is wrong now that was not wrong at the apply, as a sentence; null when nothing new. */
export function newlyWorse(
  before: ConditionSample | undefined,
  now: ConditionSample | undefined,
): string | null {
  if (!before || !now) return null;
  const fresh = (a: string[], b: string[]) => b.filter((x) => !a.includes(x));
  const items = [
    ...fresh(before.notReady, now.notReady),
    ...fresh(before.pressure, now.pressure),
    ...fresh(before.otherProblems, now.otherProblems),
  ];
  if (items.length === 0) return null;
  const shown = items.slice(0, 3).join("; ");
  return items.length > 3 ? `${shown} and ${items.length - 3} more` : shown;
}
