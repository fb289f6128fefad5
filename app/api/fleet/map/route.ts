import { handler } from "@/lib/api/handler";
import { fleetMapPoints } from "@/lib/fleet/summary/overview";

export const GET = handler("GET /api/fleet/map", async () => fleetMapPoints());
