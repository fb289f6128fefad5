import { handler } from "@/lib/api/handler";
import { fleetGrid } from "@/lib/grid/fleet-grid";

// The control center's health grid for one kind of site: sites worst first, a page at a time.
export const GET = handler("GET /api/fleet/grid", async ({ query }) => fleetGrid(query));
