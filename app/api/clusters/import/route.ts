import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { importFleet, summarize } from "@/lib/fleet/import";
import { bulkImportSchema } from "@/lib/fleet/schemas";

export const POST = handler({ access: "admin", body: bulkImportSchema }, async ({ actor, body }) => {
  const results = await importFleet(body.items, { testConnections: body.testConnections });
  const summary = summarize(results);
  await audit({
    actor,
    action: "cluster.import",
    result: summary.error > 0 ? "error" : "ok",
    detail: summary,
  });
  return { summary, results };
});
