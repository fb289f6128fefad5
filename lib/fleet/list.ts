import "server-only";
import { env } from "@/lib/env";
import {
  type FleetPage,
  type FleetQuery,
  filterFleet,
  fleetHealth,
  type MapPoint,
  mapPoints,
} from "./health";
import { fleetMapPoints, fleetOverview } from "./summary/overview";

// The control center's list and map. From the incremental fleet summary; with
// OUTPOST_FLEET_SUMMARY=rollup the way it was before it (every site rolled up per
// request, shared for 2 s): a fallback, and what the benchmark compares against.

function isRollUp(): boolean {
  return env().OUTPOST_FLEET_SUMMARY === "rollup";
}

export async function fleetList(q: FleetQuery, now = Date.now()): Promise<FleetPage> {
  return isRollUp() ? filterFleet(await fleetHealth(now), q) : fleetOverview(q, now);
}

export async function fleetListMap(now = Date.now()): Promise<{ generatedAt: string; points: MapPoint[] }> {
  if (!isRollUp()) return fleetMapPoints(now);
  const fleet = await fleetHealth(now);
  return { generatedAt: fleet.generatedAt, points: mapPoints(fleet) };
}
