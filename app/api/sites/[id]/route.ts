import { handler } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { listClusters } from "@/lib/fleet/clusters";
import { deleteSite, getSite, updateSite } from "@/lib/fleet/sites";

export const GET = handler("GET /api/sites/{id}", async ({ params }) => {
  const site = await getSite(params.id);
  if (!site) throw new AppError("not_found", "Site not found");
  return { site, clusters: await listClusters(site.id) };
});

export const PUT = handler("PUT /api/sites/{id}", async ({ params, body, audit }) => {
  const site = await updateSite(params.id, body);
  audit.target(site.id);
  return { site };
});

export const DELETE = handler("DELETE /api/sites/{id}", async ({ params }) => {
  await deleteSite(params.id);
  return { ok: true };
});
