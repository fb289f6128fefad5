import { TELEMETRY_STALE_MS } from "./model";

// The one definition of "hot", used by the health roll-up, the hottest-nodes
// list, the charts and the temperature alert rule alike. The threshold it is
// compared with comes from the threshold chain (lib/thresholds/chain.ts:
// fleet → kind → site → cluster → node), resolved by the caller.

export interface TemperatureReading {
  tempC: number | null;
  /** when the reading was taken (epoch ms), null when unknown */
  atMs: number | null;
}

/** A reading is current while it is at most TELEMETRY_STALE_MS old (and not from the future). */
export function isReadingCurrent(atMs: number | null, now: number): boolean {
  return atMs !== null && now - atMs <= TELEMETRY_STALE_MS;
}

/** Hot = a current reading above the threshold; an old reading says nothing about now. */
export function isHot(reading: TemperatureReading, thresholdCelsius: number, now: number): boolean {
  return reading.tempC !== null && reading.tempC > thresholdCelsius && isReadingCurrent(reading.atMs, now);
}
