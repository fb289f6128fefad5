import { describe, expect, it } from "vitest";
import {
  classifyBucket,
  LOSSY_MEAN_LOSS_PCT,
  linkRuns,
  type PingBucket,
  SLOW_RTT_MIN_EXTRA_MS,
  slowRttMs,
} from "./link-state";

const I = 60_000;
const T0 = Date.UTC(2026, 0, 15, 11, 0);

function ok(i: number, rtt = 50, loss = 0): PingBucket {
  return { t: T0 + i * I, lossMin: 0, lossMean: loss, lossMax: loss * 2, rttMean: rtt };
}
function dead(i: number): PingBucket {
  return { t: T0 + i * I, lossMin: 100, lossMean: 100, lossMax: 100, rttMean: null };
}

describe("classifyBucket", () => {
  it("down only when every probe of every sample was lost", () => {
    expect(classifyBucket(dead(0), null)).toBe("down");
    expect(classifyBucket({ ...dead(0), lossMin: 80, lossMean: 95 }, null)).toBe("lossy");
  });

  it("lossy at the mean-loss edge, not below it", () => {
    expect(classifyBucket({ ...ok(0), lossMean: LOSSY_MEAN_LOSS_PCT, lossMax: 20 }, null)).toBe("lossy");
    expect(classifyBucket({ ...ok(0), lossMean: LOSSY_MEAN_LOSS_PCT - 0.1, lossMax: 20 }, null)).toBe("up");
  });

  it("one sample that lost its probes is not a lossy bucket on its own", () => {
    expect(classifyBucket({ ...ok(0), lossMean: 4, lossMax: 100 }, null)).toBe("up");
  });

  it("slow against the node's own baseline, with an absolute floor", () => {
    // 50 ms median: slow above max(100, 150) = 150 ms.
    expect(slowRttMs(50)).toBe(50 + SLOW_RTT_MIN_EXTRA_MS);
    // 600 ms satellite median: slow above 1,200 ms, so its normal 700 ms is up.
    expect(slowRttMs(600)).toBe(1_200);
    expect(classifyBucket(ok(0, 151), slowRttMs(50))).toBe("lossy");
    expect(classifyBucket(ok(0, 150), slowRttMs(50))).toBe("up");
    expect(classifyBucket(ok(0, 700), slowRttMs(600))).toBe("up");
    expect(slowRttMs(null)).toBeNull();
  });

  it("no loss figure is no state", () => {
    expect(
      classifyBucket({ t: T0, lossMin: null, lossMean: null, lossMax: null, rttMean: 20 }, null),
    ).toBeNull();
  });
});

describe("judged over a minute, outages to the bucket", () => {
  const S = 10_000;
  const at = (i: number, loss: number, rtt: number | null = 40): PingBucket => ({
    t: T0 + i * S,
    lossMin: loss >= 100 ? 100 : 0,
    lossMean: loss,
    lossMax: loss,
    rttMean: rtt,
  });

  it("one unlucky 10 s sample among good ones stays up", () => {
    const buckets = [0, 0, 0, 20, 0, 0, 0, 0].map((loss, i) => at(i, loss));
    expect(linkRuns(buckets, S).runs.map((r) => r.state)).toEqual(["up"]);
  });

  it("a minute of steady loss is lossy, its edges within half a window", () => {
    const loss = [...Array(8).fill(0), ...Array(7).fill(20), ...Array(8).fill(0)] as number[];
    const runs = linkRuns(
      loss.map((l, i) => at(i, l)),
      S,
    ).runs;
    expect(runs.map((r) => r.state)).toEqual(["up", "lossy", "up"]);
    const lossy = runs[1];
    expect(Math.abs((lossy?.from ?? 0) - (T0 + 8 * S))).toBeLessThanOrEqual(30_000);
    expect(Math.abs((lossy?.to ?? 0) - (T0 + 15 * S))).toBeLessThanOrEqual(30_000);
  });

  it("an outage keeps its exact edges and does not smear loss into the minutes around it", () => {
    const buckets = [0, 0, 0, 0, 100, 100, 100, 0, 0, 0, 0].map((loss, i) =>
      at(i, loss, loss >= 100 ? null : 40),
    );
    expect(linkRuns(buckets, S).runs).toEqual([
      { from: T0, to: T0 + 4 * S, state: "up" },
      { from: T0 + 4 * S, to: T0 + 7 * S, state: "down" },
      { from: T0 + 7 * S, to: T0 + 11 * S, state: "up" },
    ]);
  });

  it("buckets of a minute or more are judged on their own", () => {
    expect(linkRuns([ok(0), ok(1, 50, 12), ok(2)], I).runs.map((r) => r.state)).toEqual([
      "up",
      "lossy",
      "up",
    ]);
  });
});

describe("linkRuns (state timeline bands)", () => {
  it("merges equal neighbours into runs and shows an uplink-down period as one down band", () => {
    const buckets = [ok(0), ok(1), ok(2), dead(3), dead(4), dead(5), ok(6), ok(7)];
    const row = linkRuns(buckets, I);
    expect(row.runs).toEqual([
      { from: T0, to: T0 + 3 * I, state: "up" },
      { from: T0 + 3 * I, to: T0 + 6 * I, state: "down" },
      { from: T0 + 6 * I, to: T0 + 8 * I, state: "up" },
    ]);
    expect(row.share).toEqual({ up: 5 / 8, lossy: 0, down: 3 / 8 });
    expect(row.medianRttMs).toBe(50);
  });

  it("a missing bucket ends a run: no data is never drawn as up", () => {
    const row = linkRuns([ok(0), ok(1), ok(4), ok(5)], I);
    expect(row.runs).toEqual([
      { from: T0, to: T0 + 2 * I, state: "up" },
      { from: T0 + 4 * I, to: T0 + 6 * I, state: "up" },
    ]);
  });

  it("finds a slow stretch relative to the node's median round trip", () => {
    const buckets = [ok(0, 40), ok(1, 45), ok(2, 400), ok(3, 420), ok(4, 42), ok(5, 44), ok(6, 41)];
    const row = linkRuns(buckets, I);
    expect(row.medianRttMs).toBe(44);
    expect(row.runs.map((r) => r.state)).toEqual(["up", "lossy", "up"]);
    expect(row.runs[1]).toEqual({ from: T0 + 2 * I, to: T0 + 4 * I, state: "lossy" });
  });

  it("an empty node has no runs and zero shares", () => {
    expect(linkRuns([], I)).toEqual({ runs: [], medianRttMs: null, share: { up: 0, lossy: 0, down: 0 } });
  });
});
