import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { getDataSource, testDataSource } from "@/lib/telemetry/data-sources";

// Tests the stored configuration, secret included, exactly as the read path will use it.
export const POST = handler({ access: "admin", params: idParams }, async ({ actor, params }) => {
  const ds = await getDataSource(params.id);
  if (!ds) throw new AppError("not_found", "Data source not found");
  const result = await testDataSource(
    {
      name: ds.name,
      url: ds.url,
      database: ds.database,
      retentionPolicy: ds.retentionPolicy,
      authKind: ds.authKind,
      username: ds.username,
      timeoutMs: ds.timeoutMs,
      isDefault: ds.isDefault,
      mapping: ds.mapping,
    },
    ds.id,
  );
  await audit({
    actor,
    action: "data_source.test",
    target: { type: "data_source", id: ds.id },
    result: result.isOk ? "ok" : "error",
    detail: { problem: result.problem?.reason ?? null },
  });
  return result;
});
