import { describe, expect, it } from "vitest";
import { isHot } from "./hot";

describe("isHot", () => {
  it("is strictly above the level", () => {
    expect(isHot(80.01, 80)).toBe(true);
    expect(isHot(80, 80)).toBe(false);
    expect(isHot(79.9, 80)).toBe(false);
  });
  it("is never hot without a number", () => {
    expect(isHot(null, 80)).toBe(false);
    expect(isHot(undefined, 80)).toBe(false);
    expect(isHot(Number.NaN, 80)).toBe(false);
    expect(isHot(Number.POSITIVE_INFINITY, 80)).toBe(false);
  });
});
