import { describe, expect, it } from "vitest";
import { previewHost } from "./preview";

const T0 = Date.UTC(2026, 11, 1);
const EVERY = 60_000;
const samples = (values: number[]) =>
  values.map((value, i) => ({ from: T0 + i * EVERY, to: T0 + (i + 1) * EVERY, value }));

describe("rule preview", () => {
  it("counts one firing with hysteresis where a plain threshold fires at every crossing", () => {
    // Hovering 78–83 around 80 for an hour, then cool.
    const hover = Array.from({ length: 60 }, (_, i) => (i % 4 < 2 ? 83 : 78));
    const r = previewHost(
      samples([...hover, ...Array(10).fill(70)]),
      { level: 80, critical: null, clearMargin: 3 },
      {
        forMs: 0,
        clearForMs: 5 * EVERY,
      },
    );
    expect(r.firings).toBe(1);
    expect(r.firingsWithoutHysteresis).toBe(15);
    expect(r.firedAt).toEqual([T0 + EVERY]);
  });

  it("nothing above the level: nothing fires either way", () => {
    const r = previewHost(
      samples(Array(30).fill(60)),
      { level: 80, critical: null, clearMargin: 3 },
      {
        forMs: 120_000,
        clearForMs: 300_000,
      },
    );
    expect(r).toEqual({ firings: 0, firingsWithoutHysteresis: 0, firedAt: [] });
  });
});
