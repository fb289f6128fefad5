import { describe, expect, it } from "vitest";
import {
  appendPoll,
  assessLink,
  decodePolls,
  encodePolls,
  formatLatency,
  POLL_HISTORY,
  type PollOutcome,
  SLOW_REQUEST_MS,
} from "./link";

/** "o" = 40 ms success, "s" = 4.1 s success, "x" = failure; oldest first. */
const polls = (pattern: string): PollOutcome[] =>
  [...pattern.replaceAll(" ", "")].map((c) => (c === "x" ? null : c === "s" ? 4_100 : 40));

describe("poll history encoding", () => {
  it("round-trips, oldest first, and keeps only the last POLL_HISTORY outcomes", () => {
    const outcomes: PollOutcome[] = [412, null, 4_100, 0];
    expect(encodePolls(outcomes)).toBe("412,x,4100,0");
    expect(decodePolls("412,x,4100,0")).toEqual(outcomes);
    let list: PollOutcome[] = [];
    for (let i = 0; i < POLL_HISTORY + 5; i++) list = appendPoll(list, i);
    expect(list).toHaveLength(POLL_HISTORY);
    expect(list[0]).toBe(5);
    expect(list.at(-1)).toBe(POLL_HISTORY + 4);
  });

  it("drops what it cannot read instead of failing the roll-up", () => {
    expect(decodePolls("")).toEqual([]);
    expect(decodePolls(null)).toEqual([]);
    expect(decodePolls("12,,abc,-3,x,7")).toEqual([12, null, 7]);
  });
});

describe("assessLink: intermittent", () => {
  it("is intermittent when polls fail in several drops (a link down half of every 20 s)", () => {
    // 15 s polls against a 20 s up/down cycle sample the cycle at four phases.
    const a = assessLink(polls("xoox xoox xoox"));
    expect(a).toMatchObject({ isIntermittent: true, failures: 6, polls: 12, drops: 4, firstFailureIndex: 0 });
  });

  it("is not intermittent for one blip, nor for one outage that ended", () => {
    expect(assessLink(polls("oooooxoooooo")).isIntermittent).toBe(false);
    const outage = assessLink(polls("oooxxxxxxooo"));
    expect(outage).toMatchObject({ isIntermittent: false, failures: 6, drops: 1 });
  });

  it("needs three failures: two drops of one poll each are still noise", () => {
    expect(assessLink(polls("oxoooooxoooo")).isIntermittent).toBe(false);
    expect(assessLink(polls("oxoooxoooxoo")).isIntermittent).toBe(true);
  });

  it("is down, not intermittent, once polls fail several times in a row", () => {
    expect(assessLink(polls("oxoxoxxx")).isIntermittent).toBe(true);
    expect(assessLink(polls("oxoxoxxxx"))).toMatchObject({ isIntermittent: false, trailingFailures: 4 });
  });

  it("ends once the failures slide out of the window", () => {
    let list = polls("xoxoxo");
    expect(assessLink(list).isIntermittent).toBe(true);
    for (let i = 0; i < 8; i++) list = appendPoll(list, 40);
    // Two failures left in the window.
    expect(assessLink(list)).toMatchObject({ isIntermittent: false, failures: 2 });
  });
});

describe("assessLink: slow", () => {
  it("is slow when the typical request of the latest polls takes seconds", () => {
    const a = assessLink(polls("ooooooo sssss"));
    expect(a).toMatchObject({ isSlow: true, latencyMs: 4_100, isIntermittent: false });
  });

  it("does not call one slow answer a slow link, nor clear it on one fast one", () => {
    expect(assessLink(polls("oooos")).isSlow).toBe(false);
    expect(assessLink(polls("sssso")).isSlow).toBe(true);
  });

  it("looks at successful polls only, and at the threshold exactly", () => {
    expect(assessLink(polls("sxsxs")).latencyMs).toBe(4_100);
    expect(assessLink([SLOW_REQUEST_MS]).isSlow).toBe(true);
    expect(assessLink([SLOW_REQUEST_MS - 1]).isSlow).toBe(false);
    expect(assessLink(polls("xxx"))).toMatchObject({ latencyMs: null, isSlow: false });
  });

  it("formats latency as an operator reads it", () => {
    expect(formatLatency(4_080)).toBe("4.1 s");
    expect(formatLatency(850)).toBe("850 ms");
  });
});
