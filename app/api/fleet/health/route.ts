import { handler } from "@/lib/api/handler";
import { fleetOverview } from "@/lib/fleet/summary/overview";

// From the incremental fleet summary: indexed queries, the shown page rendered at this instant.
export const GET = handler("GET /api/fleet/health", async ({ query }) => fleetOverview(query));
