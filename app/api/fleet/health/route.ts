import { handler } from "@/lib/api/handler";
import { filterFleet, fleetHealth } from "@/lib/fleet/health";

export const GET = handler("GET /api/fleet/health", async ({ query }) =>
  filterFleet(await fleetHealth(), query),
);
