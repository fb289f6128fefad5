// Deterministic randomness: every simulated value is a pure function of (seed, time), so a
// backfill and a live run produce identical series and tests can predict them.

const TWO_32 = 4_294_967_296;

function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** 32-bit hash of integers; non-integers are truncated, values beyond 32 bits keep their high word. */
export function hashInts(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const value = Math.trunc(part);
    const lo = value >>> 0;
    const hi = Math.floor(value / TWO_32) >>> 0;
    h = fmix(h ^ lo) + 0x7f4a7c15;
    if (hi !== 0) h = fmix(h ^ hi) + 0x6a09e667;
  }
  return fmix(h);
}

/** FNV-1a over UTF-16 code units; stable across runs and platforms. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Uniform in [0, 1). */
export function unit(...parts: number[]): number {
  return hashInts(...parts) / TWO_32;
}

/** Uniform in [min, max). */
export function between(min: number, max: number, ...parts: number[]): number {
  return min + (max - min) * unit(...parts);
}

/**
 * Smooth value noise in [-1, 1]: random knots every `periodMs`, eased in between, so weather,
 * load and link quality drift instead of jumping from sample to sample.
 */
export function smoothNoise(key: number, timeMs: number, periodMs: number): number {
  const position = timeMs / periodMs;
  const knot = Math.floor(position);
  const frac = position - knot;
  const eased = frac * frac * (3 - 2 * frac);
  const a = unit(key, knot) * 2 - 1;
  const b = unit(key, knot + 1) * 2 - 1;
  return a + (b - a) * eased;
}
