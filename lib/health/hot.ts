// THE definition of "hot": strictly above the effective warning level of the
// threshold chain (lib/thresholds/chain.ts resolves that level). Health's
// telemetry axis, the hottest-nodes list, the charts and the temperature alert
// rule all ask this one function.
export function isHot(tempC: number | null | undefined, thresholdCelsius: number): boolean {
  return typeof tempC === "number" && Number.isFinite(tempC) && tempC > thresholdCelsius;
}
