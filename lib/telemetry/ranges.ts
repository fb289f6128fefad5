// Chart time ranges without zod: the site page's range picker needs the names,
// not the validation library.

export const TELEMETRY_RANGES = ["15m", "1h", "6h", "24h", "7d", "custom"] as const;
export type TelemetryRange = (typeof TELEMETRY_RANGES)[number];

export const RANGE_MS: Readonly<Record<Exclude<TelemetryRange, "custom">, number>> = {
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
};

export const MAX_CUSTOM_RANGE_MS = 90 * 24 * 3_600_000;
export const MIN_CUSTOM_RANGE_MS = 60_000;

/** A relative range named in a page's address (?range=24h); anything else is no range. */
export function relativeRange(value: unknown): Exclude<TelemetryRange, "custom"> | null {
  return typeof value === "string" && Object.hasOwn(RANGE_MS, value)
    ? (value as Exclude<TelemetryRange, "custom">)
    : null;
}
