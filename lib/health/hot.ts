import { TELEMETRY_STALE_MS } from "./model";

// The one definition of "hot", used by the health roll-up and the hottest-nodes
// list alike. The alert issue puts its threshold chain (fleet → kind → site →
// cluster → node) behind `warnThreshold`; callers keep calling these two.

export interface TemperatureReading {
  tempC: number | null;
  /** when the reading was taken (epoch ms), null when unknown */
  atMs: number | null;
}

/** The warning threshold for a site: its own, else the fleet default. */
export function warnThreshold(site: { tempWarnCelsius: number | null }, fleetDefaultCelsius: number): number {
  return site.tempWarnCelsius ?? fleetDefaultCelsius;
}

/** A reading is current while it is at most TELEMETRY_STALE_MS old (and not from the future). */
export function isReadingCurrent(atMs: number | null, now: number): boolean {
  return atMs !== null && now - atMs <= TELEMETRY_STALE_MS;
}

/** Hot = a current reading above the threshold; an old reading says nothing about now. */
export function isHot(reading: TemperatureReading, thresholdCelsius: number, now: number): boolean {
  return reading.tempC !== null && reading.tempC > thresholdCelsius && isReadingCurrent(reading.atMs, now);
}
