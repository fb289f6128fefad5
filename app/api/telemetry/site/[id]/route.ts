import { handler } from "@/lib/api/handler";
import { preferredUnit } from "@/lib/telemetry/preferences";
import { siteTelemetry } from "@/lib/telemetry/read";

// Chart data for one site (id or slug). InfluxDB trouble answers 200 with `unavailable` set, never an error page.
export const GET = handler("GET /api/telemetry/site/{id}", async ({ actor, params, query }) =>
  siteTelemetry(params.id, query, { preferredUnit: await preferredUnit(actor.userId) }),
);
