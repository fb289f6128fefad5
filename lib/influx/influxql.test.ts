import { describe, expect, it } from "vitest";
import {
  durationLiteral,
  groupByTags,
  InfluxQlError,
  qualifiedMeasurement,
  quoteIdent,
  quoteString,
  tagIn,
  timeMs,
} from "./influxql";

describe("quoteString", () => {
  it("escapes quotes and backslashes so the literal cannot be closed early", () => {
    expect(quoteString("x' OR 1=1 --")).toBe("'x\\' OR 1=1 --'");
    expect(quoteString("a\\b")).toBe("'a\\\\b'");
    expect(quoteString("ends with \\")).toBe("'ends with \\\\'");
    expect(quoteString("\\' OR ''='")).toBe("'\\\\\\' OR \\'\\'=\\''");
    expect(quoteString('say "hi"')).toBe("'say \"hi\"'");
  });

  it("escapes newlines, which would otherwise end the token", () => {
    expect(quoteString("two\nlines")).toBe("'two\\nlines'");
  });

  it("leaves ordinary values alone", () => {
    expect(quoteString("store-berlin-01")).toBe("'store-berlin-01'");
    expect(quoteString("")).toBe("''");
  });
});

describe("quoteIdent", () => {
  it("double-quotes names and escapes quotes and backslashes", () => {
    expect(quoteIdent("temp")).toBe('"temp"');
    expect(quoteIdent('we"ird')).toBe('"we\\"ird"');
    expect(quoteIdent("back\\slash")).toBe('"back\\\\slash"');
    expect(quoteIdent('x" OR "1')).toBe('"x\\" OR \\"1"');
  });

  it("refuses names InfluxQL cannot express", () => {
    expect(() => quoteIdent("")).toThrow(InfluxQlError);
    expect(() => quoteIdent("a\nb")).toThrow(InfluxQlError);
    expect(() => quoteIdent("a\u0000b")).toThrow(InfluxQlError);
  });
});

describe("query fragments", () => {
  it("qualifies a measurement with a retention policy", () => {
    expect(qualifiedMeasurement("temp")).toBe('"temp"');
    expect(qualifiedMeasurement("temp", "one week")).toBe('"one week"."temp"');
  });

  it("writes durations in the largest exact unit", () => {
    expect(durationLiteral(15 * 60_000)).toBe("15m");
    expect(durationLiteral(86_400_000)).toBe("1d");
    expect(durationLiteral(20_000)).toBe("20s");
    expect(durationLiteral(1_500)).toBe("1500ms");
    expect(() => durationLiteral(0)).toThrow(InfluxQlError);
    expect(() => durationLiteral(1.5)).toThrow(InfluxQlError);
  });

  it("writes integer millisecond time bounds", () => {
    expect(timeMs(1_700_000_000_123.9)).toBe("1700000000123ms");
    expect(() => timeMs(Number.NaN)).toThrow(InfluxQlError);
  });

  it("matches tag values with = and OR, never a regex", () => {
    expect(tagIn("site", ["a"])).toBe(`"site" = 'a'`);
    expect(tagIn("host", ["a", "b'c"])).toBe(`("host" = 'a' OR "host" = 'b\\'c')`);
    expect(() => tagIn("host", [])).toThrow(InfluxQlError);
  });

  it("deduplicates GROUP BY tags", () => {
    expect(groupByTags(["site", null, "host", "site", undefined])).toBe('"site", "host"');
  });
});
