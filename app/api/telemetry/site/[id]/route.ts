import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { preferredUnit } from "@/lib/telemetry/preferences";
import { siteTelemetry } from "@/lib/telemetry/read";
import { siteTelemetryQuerySchema } from "@/lib/telemetry/schemas";

// Chart data for one site (id or slug). InfluxDB trouble answers 200 with `unavailable` set, never an error page.
export const GET = handler(
  { access: "viewer", params: idParams, query: siteTelemetryQuerySchema },
  async ({ actor, params, query }) =>
    siteTelemetry(params.id, query, { preferredUnit: await preferredUnit(actor.userId) }),
);
