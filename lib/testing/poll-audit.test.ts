import { describe, expect, it } from "vitest";
import { auditPolls } from "./poll-audit";

const poll = (cluster: string, agent: string, at: number) => ({ site: "s", cluster, agent, at });

describe("auditPolls", () => {
  const opts = { from: 100, to: 400, intervalMs: 100, clusters: ["s/a", "s/b", "s/c"] };

  it("counts polls by agent, finds unpolled clusters and the longest gap", () => {
    const audit = auditPolls(
      [
        poll("a", "w1", 50),
        poll("a", "w1", 150),
        poll("a", "w1", 250),
        poll("a", "w1", 350),
        poll("b", "w2", 120),
        poll("b", "w2", 380),
      ],
      opts,
    );
    expect(audit).toMatchObject({
      clusters: 3,
      polls: 5,
      duplicates: 0,
      unpolled: ["s/c"],
      byAgent: { w1: 3, w2: 2 },
    });
    // s/b went 260 ms without a poll; s/c the whole window (300 ms)
    expect(audit.maxGapMs).toBe(300);
    expect(audit.maxGapCluster).toBe("s/c");
  });

  it("a poll by another worker within half an interval is a duplicate; the same worker's or a later one's is not", () => {
    const audit = auditPolls(
      [
        poll("a", "w1", 150),
        poll("a", "w2", 190), // duplicate: another worker 40 ms later
        poll("a", "w2", 200), // same worker: not a sharding duplicate
        poll("b", "w1", 150),
        poll("b", "w2", 240), // hand-over at the cadence: 90 ms later, not a duplicate
        poll("c", "w1", 110),
        poll("c", "w1", 210),
        poll("c", "w1", 310),
      ],
      { ...opts, to: 300 },
    );
    expect(audit.duplicates).toBe(1);
    expect(audit.duplicateShare).toBeCloseTo(1 / 7);
    expect(audit.unpolled).toEqual([]);
  });

  it("ignores polls after the window and of clusters it was not asked about", () => {
    const audit = auditPolls([poll("a", "w1", 150), poll("a", "w1", 450), poll("zz", "w1", 150)], {
      ...opts,
      clusters: ["s/a"],
    });
    expect(audit.polls).toBe(1);
    expect(audit.maxGapMs).toBe(250);
  });
});
