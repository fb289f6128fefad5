import { handler } from "@/lib/api/handler";
import { preferredUnit } from "@/lib/telemetry/preferences";
import { hottestNodes } from "@/lib/telemetry/read";
import { hottestQuerySchema } from "@/lib/telemetry/schemas";

export const GET = handler({ access: "viewer", query: hottestQuerySchema }, async ({ actor, query }) => ({
  ...(await hottestNodes(query.limit)),
  preferredUnit: await preferredUnit(actor.userId),
}));
