import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration, listFew, plural, toMs } from "./format";
import { DAY, HOUR, MINUTE, SECOND } from "./test-fixtures";

describe("formatDuration", () => {
  it.each([
    [0, "0 s"],
    [999, "0 s"],
    [45 * SECOND, "45 s"],
    [MINUTE - 1, "59 s"],
    [MINUTE, "1 m"],
    [12 * MINUTE + 59 * SECOND, "12 m"],
    [HOUR, "1 h"],
    [2 * HOUR + 14 * MINUTE + 59 * SECOND, "2 h 14 m"],
    [DAY - 1, "23 h 59 m"],
    [DAY, "1 d"],
    [3 * DAY + 4 * HOUR + 59 * MINUTE, "3 d 4 h"],
    [400 * DAY, "400 d"],
  ])("%d ms reads %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("never prints a negative or NaN duration", () => {
    expect(formatDuration(-5 * MINUTE)).toBe("0 s");
    expect(formatDuration(Number.NaN)).toBe("0 s");
  });
});

describe("small text helpers", () => {
  it("says just now below a second", () => {
    expect(formatAgo(200)).toBe("just now");
    expect(formatAgo(47 * MINUTE)).toBe("47 m ago");
  });

  it("pluralises and shortens lists", () => {
    expect(plural(1, "node")).toBe("1 node");
    expect(plural(3, "node")).toBe("3 nodes");
    expect(listFew(["a", "b"])).toBe("a, b");
    expect(listFew(["a", "b", "c", "d", "e"])).toBe("a, b, c and 2 more");
  });
});

describe("toMs", () => {
  it("agrees with Date.parse on canonical ISO text", () => {
    for (let t = Date.UTC(1999, 11, 31, 23, 59, 59, 999); t < Date.UTC(2031, 0, 1); t += 7_777_777_777) {
      const text = new Date(t).toISOString();
      expect(toMs(text)).toBe(Date.parse(text));
    }
    expect(toMs("2024-02-29T12:34:56.789Z")).toBe(Date.parse("2024-02-29T12:34:56.789Z"));
  });

  it("handles other ISO shapes through Date.parse", () => {
    expect(toMs("2025-01-15T13:00:00+01:00")).toBe(Date.UTC(2025, 0, 15, 12));
    expect(toMs("2025-01-15T12:00:00Z")).toBe(Date.UTC(2025, 0, 15, 12));
  });

  it("refuses impossible dates and garbage instead of rolling over", () => {
    expect(toMs("2025-02-29T00:00:00.000Z")).toBe(null);
    expect(toMs("2025-13-01T00:00:00.000Z")).toBe(null);
    expect(toMs("2025-01-15T1x:00:00.000Z")).toBe(null);
    expect(toMs("not a date at all, 24 ch")).toBe(null);
    expect(toMs("")).toBe(null);
    expect(toMs(null)).toBe(null);
  });
});
