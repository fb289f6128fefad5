import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { testDataSource } from "@/lib/telemetry/data-sources";
import { dataSourceTestSchema } from "@/lib/telemetry/schemas";

// Tries an unsaved configuration (the form's values); with `id`, an omitted secret means the stored one.
export const POST = handler({ access: "admin", body: dataSourceTestSchema }, async ({ actor, body }) => {
  const result = await testDataSource(body.config, body.id);
  await audit({
    actor,
    action: "data_source.test",
    target: body.id ? { type: "data_source", id: body.id } : undefined,
    result: result.isOk ? "ok" : "error",
    detail: { url: body.config.url, database: body.config.database, problem: result.problem?.reason ?? null },
  });
  return result;
});
