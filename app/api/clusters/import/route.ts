import { handler } from "@/lib/api/handler";
import { importFleet, summarize } from "@/lib/fleet/import";

export const POST = handler("POST /api/clusters/import", async ({ body, audit }) => {
  const results = await importFleet(body.items, { testConnections: body.testConnections });
  const summary = summarize(results);
  audit.detail(summary);
  if (summary.error > 0) audit.result("error");
  return { summary, results };
});
