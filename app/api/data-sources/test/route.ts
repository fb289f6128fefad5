import { handler } from "@/lib/api/handler";
import { testDataSource } from "@/lib/telemetry/data-sources";

// Tries an unsaved configuration (the form's values); with `id`, an omitted secret means the stored one.
export const POST = handler("POST /api/data-sources/test", async ({ body, audit }) => {
  audit.target(body.id ?? null);
  const result = await testDataSource(body.config, body.id);
  audit.detail({
    url: body.config.url,
    database: body.config.database,
    problem: result.problem?.reason ?? null,
  });
  if (!result.isOk) audit.result("error");
  return result;
});
