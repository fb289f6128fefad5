import { handler } from "@/lib/api/handler";
import { filterFleet, fleetHealth, fleetQuerySchema } from "@/lib/fleet/health";

export const GET = handler({ access: "viewer", query: fleetQuerySchema }, async ({ query }) =>
  filterFleet(await fleetHealth(), query),
);
