// Which sites a telemetry tick really changed: their telemetry state key moved
// (a node turned hot, went silent, got a wrong clock), not just a reading that
// moved by 0.2 °C. Pure; the tick writes the marks in its own transaction.
import { telemetryStateKey } from "@/lib/health/site";
import type { SiteTelemetryInput } from "@/lib/health/types";

export function changedTelemetrySites(
  previousKeys: ReadonlyMap<string, string> | null,
  siteIds: readonly string[],
  inputs: ReadonlyMap<string, SiteTelemetryInput>,
  now: number,
): { keys: Map<string, string>; changed: string[] } {
  const keys = new Map(siteIds.map((id) => [id, telemetryStateKey(inputs.get(id), now)]));
  const changed = siteIds.filter((id) => previousKeys?.get(id) !== keys.get(id));
  return { keys, changed };
}
