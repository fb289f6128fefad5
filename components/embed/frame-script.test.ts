import { describe, expect, it } from "vitest";
import { formatAgo, formatDuration } from "@/lib/health/format";
import { agoText, durationText, FRAME_SCRIPT } from "./frame-script";

describe("embed frame script", () => {
  it("formats ages exactly like the main UI", () => {
    const samples = [
      0,
      999,
      1_000,
      59_999,
      60_000,
      3_599_999,
      3_600_000,
      3_660_000,
      86_399_999,
      86_400_000,
      90_000_000,
      400_000_000,
      -5,
      Number.NaN,
    ];
    for (const ms of samples) {
      expect(durationText(ms), String(ms)).toBe(formatDuration(ms));
      expect(agoText(ms, durationText), String(ms)).toBe(formatAgo(ms));
    }
  });

  it("is one self-contained expression (no imports, parses as a script)", () => {
    expect(FRAME_SCRIPT).not.toMatch(/\bimport\b|\brequire\(/);
    // Parses without running: a syntax error would throw here.
    expect(() => new Function(FRAME_SCRIPT)).not.toThrow();
    expect(FRAME_SCRIPT.length).toBeLessThan(8_000);
  });
});
