import { handler } from "@/lib/api/handler";
import { preferredUnit } from "@/lib/telemetry/preferences";
import { siteChart } from "@/lib/telemetry/site-charts";

// Chart data for one view of one site (id or slug): ?view=temperature|connectivity|turbine|latest.
// InfluxDB trouble answers 200 with `unavailable` set, never an error page.
export const GET = handler("GET /api/telemetry/site/{id}", async ({ actor, params, query }) =>
  siteChart(params.id, query, { preferredUnit: preferredUnit(actor.userId) }),
);
