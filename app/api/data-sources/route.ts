import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { createDataSource, listDataSources } from "@/lib/telemetry/data-sources";
import { dataSourceInputSchema } from "@/lib/telemetry/schemas";

export const GET = handler({ access: "admin" }, async () => ({ items: await listDataSources() }));

export const POST = handler({ access: "admin", body: dataSourceInputSchema }, async ({ actor, body }) => {
  try {
    const dataSource = await createDataSource(body);
    await audit({
      actor,
      action: "data_source.create",
      target: { type: "data_source", id: dataSource.id },
      result: "ok",
      detail: {
        name: dataSource.name,
        url: dataSource.url,
        database: dataSource.database,
        isDefault: dataSource.isDefault,
      },
    });
    return { dataSource };
  } catch (err) {
    await audit({
      actor,
      action: "data_source.create",
      result: "error",
      detail: { name: body.name, url: body.url },
    });
    throw err;
  }
});
