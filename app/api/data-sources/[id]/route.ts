import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { deleteDataSource, getDataSource, updateDataSource } from "@/lib/telemetry/data-sources";
import { dataSourceInputSchema } from "@/lib/telemetry/schemas";

export const GET = handler({ access: "admin", params: idParams }, async ({ params }) => {
  const dataSource = await getDataSource(params.id);
  if (!dataSource) throw new AppError("not_found", "Data source not found");
  return { dataSource };
});

export const PUT = handler(
  { access: "admin", params: idParams, body: dataSourceInputSchema },
  async ({ actor, params, body }) => {
    try {
      const dataSource = await updateDataSource(params.id, body);
      await audit({
        actor,
        action: "data_source.update",
        target: { type: "data_source", id: params.id },
        result: "ok",
        // Whether the secret changed, never the secret.
        detail: {
          name: dataSource.name,
          url: dataSource.url,
          isDefault: dataSource.isDefault,
          secretChanged: Boolean(body.secret),
        },
      });
      return { dataSource };
    } catch (err) {
      await audit({
        actor,
        action: "data_source.update",
        target: { type: "data_source", id: params.id },
        result: "error",
      });
      throw err;
    }
  },
);

export const DELETE = handler({ access: "admin", params: idParams }, async ({ actor, params }) => {
  const { promotedId } = await deleteDataSource(params.id);
  await audit({
    actor,
    action: "data_source.delete",
    target: { type: "data_source", id: params.id },
    result: "ok",
    detail: { promotedDefault: promotedId },
  });
  return { ok: true, promotedId };
});
