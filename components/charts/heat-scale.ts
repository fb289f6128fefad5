// The heatmap's colour scale, anchored at the warning threshold rather than at
// fixed degrees: whatever the limit (80 °C boards, 60 °C nacelles), "close to
// it" is yellow-orange and "above it" is red, and cool is dark so the hot
// cells are what the eye finds first on the control room's dark screens.
// Above the limit a cell is also hatched (see heatmap.tsx): never colour alone.

/** [degrees relative to the threshold, colour]; interpolated in RGB between stops. */
export const HEAT_STOPS: readonly (readonly [number, string])[] = [
  [-45, "#1c2f4f"],
  [-30, "#21537f"],
  [-18, "#1f8a8a"],
  [-9, "#7fb069"],
  [-4, "#e9c46a"],
  [0, "#f4a261"],
];
/** Anything above the threshold: red, brighter the further above. */
export const HOT_STOPS: readonly (readonly [number, string])[] = [
  [0, "#e5383b"],
  [10, "#ff2e88"],
];

export const NO_DATA_COLOR = "#0e141c";

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function rgbToHex([r, g, b]: readonly number[]): string {
  return `#${[r, g, b]
    .map((c) =>
      Math.round(c ?? 0)
        .toString(16)
        .padStart(2, "0"),
    )
    .join("")}`;
}

function along(stops: readonly (readonly [number, string])[], x: number): string {
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (!first || !last) return NO_DATA_COLOR;
  if (x <= first[0]) return first[1];
  if (x >= last[0]) return last[1];
  for (let i = 1; i < stops.length; i++) {
    const hi = stops[i];
    const lo = stops[i - 1];
    if (!hi || !lo || x > hi[0]) continue;
    const f = (x - lo[0]) / (hi[0] - lo[0]);
    const a = hexToRgb(lo[1]);
    const b = hexToRgb(hi[1]);
    return rgbToHex(a.map((c, k) => c + ((b[k] ?? 0) - c) * f));
  }
  return last[1];
}

/** True when a reading is above its warning threshold (exactly at it is not: the health model's rule). */
export function isAbove(value: number, thresholdC: number): boolean {
  return value > thresholdC;
}

/** Colour of a cell: null (no reading) is the "no data" background. */
export function heatColor(value: number | null, thresholdC: number): string {
  if (value === null) return NO_DATA_COLOR;
  const x = value - thresholdC;
  return isAbove(value, thresholdC) ? along(HOT_STOPS, x) : along(HEAT_STOPS, x);
}

/**
 * Colour for a metric without a threshold (turbine power, rpm): a sequential
 * scale from the row set's lowest to highest value.
 */
export function sequentialColor(value: number | null, lo: number, hi: number): string {
  if (value === null) return NO_DATA_COLOR;
  const span = hi - lo || 1;
  const x = Math.min(1, Math.max(0, (value - lo) / span));
  const first = HEAT_STOPS[0]?.[0] ?? -45;
  const end = HEAT_STOPS[HEAT_STOPS.length - 2]?.[0] ?? -4;
  return along(HEAT_STOPS, first + x * (end - first));
}

/** Legend ticks (relative to the threshold) for a scale bar. */
export const LEGEND_OFFSETS = [-40, -20, -10, 0, 10] as const;
