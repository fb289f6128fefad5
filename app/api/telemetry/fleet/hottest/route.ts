import { handler } from "@/lib/api/handler";
import { preferredUnit } from "@/lib/telemetry/preferences";
import { hottestNodes } from "@/lib/telemetry/read";

export const GET = handler("GET /api/telemetry/fleet/hottest", async ({ actor, query }) => ({
  ...(await hottestNodes(query.limit)),
  preferredUnit: await preferredUnit(actor.userId),
}));
