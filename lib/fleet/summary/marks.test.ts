import { describe, expect, it } from "vitest";
import { PollMarks } from "./marks";

const T = Date.parse("2026-12-01T12:00:00.000Z");
const INTERVAL = 15_000;
const ok = (clusterId: string, at: number, summary = "{}") => ({
  clusterId,
  at,
  isOk: true,
  summary,
  errorClass: null,
  failures: 0,
  link: "steady",
});

describe("PollMarks: which poll results may change their site", () => {
  it("marks a cluster the first time, then not while it answers the same and stays fresh", () => {
    const marks = new PollMarks(INTERVAL);
    expect(marks.clustersToMark([ok("a", T), ok("b", T)])).toEqual(["a", "b"]);
    expect(marks.clustersToMark([ok("a", T + INTERVAL), ok("b", T + INTERVAL)])).toEqual([]);
  });

  it("marks a new summary, a failure, the answer after a failure, and an answer after a long gap", () => {
    const marks = new PollMarks(INTERVAL);
    marks.clustersToMark([ok("a", T), ok("b", T), ok("c", T)]);
    const failed = {
      clusterId: "b",
      at: T + INTERVAL,
      isOk: false,
      summary: null,
      errorClass: "timeout",
      failures: 1,
      link: "steady",
    };
    expect(marks.clustersToMark([ok("a", T + INTERVAL, '{"x":1}'), failed])).toEqual(["a", "b"]);
    // Every further failure moves the backoff (and "since"): marked each time.
    expect(marks.clustersToMark([{ ...failed, at: T + 2 * INTERVAL, failures: 2 }])).toEqual(["b"]);
    expect(marks.clustersToMark([ok("b", T + 3 * INTERVAL)])).toEqual(["b"]);
    // c was fine, but 40 s without a success could have made it stale in between.
    expect(marks.clustersToMark([ok("c", T + 40_000)])).toEqual(["c"]);
  });

  it("marks a link that turned slow or intermittent even though the answer is the same", () => {
    const marks = new PollMarks(INTERVAL);
    marks.clustersToMark([ok("a", T), ok("b", T)]);
    expect(
      marks.clustersToMark([
        { ...ok("a", T + INTERVAL), link: "slow" },
        { ...ok("b", T + INTERVAL), link: "steady" },
      ]),
    ).toEqual(["a"]);
    expect(marks.clustersToMark([{ ...ok("a", T + 2 * INTERVAL), link: "slow" }])).toEqual([]);
  });
});
