import { handler } from "@/lib/api/handler";
import { fleetList } from "@/lib/fleet/list";

// From the incremental fleet summary: indexed queries, the shown page rendered at this instant.
export const GET = handler("GET /api/fleet/health", async ({ query }) => fleetList(query));
