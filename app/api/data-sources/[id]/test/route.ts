import { handler } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { getDataSource, testDataSource } from "@/lib/telemetry/data-sources";

// Tests the stored configuration, secret included, exactly as the read path will use it.
export const POST = handler("POST /api/data-sources/{id}/test", async ({ params, audit }) => {
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
  audit.detail({ problem: result.problem?.reason ?? null });
  if (!result.isOk) audit.result("error");
  return result;
});
