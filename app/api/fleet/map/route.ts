import { handler } from "@/lib/api/handler";
import { fleetHealth, mapPoints } from "@/lib/fleet/health";

export const GET = handler("GET /api/fleet/map", async () => {
  const fleet = await fleetHealth();
  return { generatedAt: fleet.generatedAt, points: mapPoints(fleet) };
});
