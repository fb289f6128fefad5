import { describe, expect, it } from "vitest";
import { HEAT_STOPS, HOT_STOPS, heatColor, isAbove, NO_DATA_COLOR, sequentialColor } from "./heat-scale";

function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe("threshold-aware heat scale", () => {
  it("follows the threshold: the same distance below any limit has the same colour", () => {
    expect(heatColor(70, 80)).toBe(heatColor(50, 60));
    expect(heatColor(79, 80)).toBe(heatColor(89, 90));
  });

  it("is red above the limit and not at it", () => {
    expect(isAbove(80, 80)).toBe(false);
    expect(isAbove(80.1, 80)).toBe(true);
    expect(heatColor(80, 80)).toBe(HEAT_STOPS.at(-1)?.[1]);
    expect(heatColor(80.1, 80)).not.toBe(heatColor(80, 80));
    expect(heatColor(95, 80)).toBe(HOT_STOPS.at(-1)?.[1]);
  });

  it("gets brighter towards the limit (then yellow → orange → red), so warm cells stand out on a dark screen", () => {
    const shades = [30, 45, 55, 65, 72, 76].map((v) => luminance(heatColor(v, 80)));
    for (let i = 1; i < shades.length; i++) expect(shades[i]).toBeGreaterThan(shades[i - 1] ?? 0);
  });

  it("clamps far below and far above, and paints no data as the background", () => {
    expect(heatColor(-20, 80)).toBe(HEAT_STOPS[0]?.[1]);
    expect(heatColor(200, 80)).toBe(HOT_STOPS.at(-1)?.[1]);
    expect(heatColor(null, 80)).toBe(NO_DATA_COLOR);
  });

  it("interpolates between stops", () => {
    const mid = heatColor(80 - 13.5, 80); // halfway between the −18 and −9 stops
    expect(mid).not.toBe(heatColor(80 - 18, 80));
    expect(mid).not.toBe(heatColor(80 - 9, 80));
    expect(mid).toMatch(/^#[0-9a-f]{6}$/);
  });

  it("a metric without a threshold spans its own range and never turns red", () => {
    expect(sequentialColor(0, 0, 3_000)).toBe(HEAT_STOPS[0]?.[1]);
    expect(luminance(sequentialColor(3_000, 0, 3_000))).toBeGreaterThan(
      luminance(sequentialColor(1_000, 0, 3_000)),
    );
    for (const hot of HOT_STOPS) expect(sequentialColor(3_000, 0, 3_000)).not.toBe(hot[1]);
    expect(sequentialColor(5, 5, 5)).toMatch(/^#/);
    expect(sequentialColor(null, 0, 1)).toBe(NO_DATA_COLOR);
  });
});
