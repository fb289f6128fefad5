import { handler } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { markAllSitesDue } from "@/lib/fleet/summary/marks";
import { deleteDataSource, getDataSource, updateDataSource } from "@/lib/telemetry/data-sources";

export const GET = handler("GET /api/data-sources/{id}", async ({ params }) => {
  const dataSource = await getDataSource(params.id);
  if (!dataSource) throw new AppError("not_found", "Data source not found");
  return { dataSource };
});

export const PUT = handler("PUT /api/data-sources/{id}", async ({ params, body, audit }) => {
  const dataSource = await updateDataSource(params.id, body);
  // Another default, threshold source or mapping: the fleet summary re-judges every site.
  await markAllSitesDue();
  // Whether the secret changed, never the secret.
  audit.detail({
    name: dataSource.name,
    url: dataSource.url,
    isDefault: dataSource.isDefault,
    secretChanged: Boolean(body.secret),
  });
  return { dataSource };
});

export const DELETE = handler("DELETE /api/data-sources/{id}", async ({ params, audit }) => {
  const { promotedId } = await deleteDataSource(params.id);
  await markAllSitesDue();
  audit.detail({ promotedDefault: promotedId });
  return { ok: true, promotedId };
});
