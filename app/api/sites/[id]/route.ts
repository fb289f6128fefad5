import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { listClusters } from "@/lib/fleet/clusters";
import { siteInputSchema } from "@/lib/fleet/schemas";
import { deleteSite, getSite, updateSite } from "@/lib/fleet/sites";

export const GET = handler({ access: "viewer", params: idParams }, async ({ params }) => {
  const site = await getSite(params.id);
  if (!site) throw new AppError("not_found", "Site not found");
  return { site, clusters: await listClusters(site.id) };
});

export const PUT = handler(
  { access: "admin", params: idParams, body: siteInputSchema },
  async ({ actor, params, body }) => {
    const site = await updateSite(params.id, body);
    await audit({ actor, action: "site.update", target: { type: "site", id: site.id }, result: "ok" });
    return { site };
  },
);

export const DELETE = handler({ access: "admin", params: idParams }, async ({ actor, params }) => {
  await deleteSite(params.id);
  await audit({ actor, action: "site.delete", target: { type: "site", id: params.id }, result: "ok" });
  return { ok: true };
});
