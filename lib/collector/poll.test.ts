import { describe, expect, it } from "vitest";
import { parseCpu, parseMemory } from "./poll";

describe("Kubernetes quantities", () => {
  it.each([
    ["2", 2000],
    ["500m", 500],
    ["250000000n", 250],
    ["1500u", 2],
    ["0.5", 500],
  ])("cpu %s = %d millicores", (q, expected) => {
    expect(parseCpu(q)).toBe(expected);
  });

  it.each([
    ["8039860Ki", 8039860 * 1024],
    ["512Mi", 512 * 1024 ** 2],
    ["2Gi", 2 * 1024 ** 3],
    ["1G", 1e9],
    ["123456", 123456],
  ])("memory %s = %d bytes", (q, expected) => {
    expect(parseMemory(q)).toBe(expected);
  });

  it("returns null for what it cannot read", () => {
    expect(parseCpu(undefined)).toBeNull();
    expect(parseMemory("12Xi")).toBeNull();
  });
});
