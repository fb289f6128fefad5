// What a request log says about sharded collection over a time window: was
// every cluster polled, how long was the longest gap, and how many polls were
// duplicates — a cluster polled by two different workers within half a poll
// interval (its normal cadence is one interval ± 10 %, so two polls that close
// together are two workers doing the same work in one interval). Pure.
import type { LoggedRequest } from "@/lib/simulator/request-log";

export interface PollAudit {
  clusters: number;
  polls: number;
  duplicates: number;
  /** duplicates / polls */
  duplicateShare: number;
  /** clusters with no poll in the window */
  unpolled: string[];
  /** the longest time a cluster went without a poll inside the window (from its previous poll, even before it) */
  maxGapMs: number;
  /** the cluster of that gap */
  maxGapCluster: string | null;
  /** polls per agent (worker) in the window */
  byAgent: Record<string, number>;
}

export const clusterKey = (r: Pick<LoggedRequest, "site" | "cluster">) => `${r.site}/${r.cluster}`;

export function auditPolls(
  entries: LoggedRequest[],
  opts: { from: number; to: number; intervalMs: number; clusters: string[] },
): PollAudit {
  const byCluster = new Map<string, LoggedRequest[]>(opts.clusters.map((c) => [c, []]));
  for (const e of entries) {
    if (e.at > opts.to) continue;
    byCluster.get(clusterKey(e))?.push(e);
  }
  let polls = 0;
  let duplicates = 0;
  let maxGapMs = 0;
  let maxGapCluster: string | null = null;
  const gap = (key: string, ms: number) => {
    if (ms <= maxGapMs) return;
    maxGapMs = ms;
    maxGapCluster = key;
  };
  const unpolled: string[] = [];
  const byAgent: Record<string, number> = {};
  for (const [key, list] of byCluster) {
    list.sort((a, b) => a.at - b.at);
    let previous: LoggedRequest | undefined;
    let inWindow = 0;
    for (const e of list) {
      if (e.at >= opts.from) {
        inWindow++;
        byAgent[e.agent] = (byAgent[e.agent] ?? 0) + 1;
        const gapStart = previous ? Math.max(previous.at, opts.from - opts.intervalMs) : opts.from;
        gap(key, e.at - gapStart);
        if (previous && previous.agent !== e.agent && e.at - previous.at < opts.intervalMs / 2) duplicates++;
      }
      previous = e;
    }
    polls += inWindow;
    if (inWindow === 0) unpolled.push(key);
    gap(key, opts.to - (previous ? Math.max(previous.at, opts.from - opts.intervalMs) : opts.from));
  }
  return {
    clusters: byCluster.size,
    polls,
    duplicates,
    duplicateShare: polls === 0 ? 0 : duplicates / polls,
    unpolled,
    maxGapMs,
    maxGapCluster,
    byAgent,
  };
}
