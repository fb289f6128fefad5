import { handler } from "@/lib/api/handler";
import { fleetListMap } from "@/lib/fleet/list";

export const GET = handler("GET /api/fleet/map", async () => fleetListMap());
