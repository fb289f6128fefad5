import { describe, expect, it } from "vitest";
import { applyTransform } from "./series";

const toFahrenheit = (c: number) => (c * 9) / 5 + 32;

describe("applyTransform", () => {
  it("keeps a missing value missing, as null, with or without a transform", () => {
    expect(applyTransform(null)).toBeNull();
    expect(applyTransform(undefined)).toBeNull();
    expect(applyTransform(null, toFahrenheit)).toBeNull();
    expect(applyTransform(undefined, toFahrenheit)).toBeNull();
  });

  it("returns the value as given without a transform", () => {
    expect(applyTransform(21.5)).toBe(21.5);
    // 0 is a value, not a missing one.
    expect(applyTransform(0)).toBe(0);
  });

  it("converts a value with the transform", () => {
    expect(applyTransform(100, toFahrenheit)).toBe(212);
    expect(applyTransform(0, toFahrenheit)).toBe(32);
    expect(applyTransform(-40, toFahrenheit)).toBe(-40);
  });
});
