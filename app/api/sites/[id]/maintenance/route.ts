import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { maintenanceInputSchema } from "@/lib/maintenance/schemas";
import { requireSiteId, siteMaintenance, startMaintenance } from "@/lib/maintenance/store";

export const GET = handler({ access: "viewer", params: idParams }, async ({ params }) => {
  return siteMaintenance(await requireSiteId(params.id));
});

export const POST = handler(
  { access: "operator", params: idParams, body: maintenanceInputSchema },
  async ({ actor, params, body }) => {
    const siteId = await requireSiteId(params.id);
    const window = await startMaintenance(siteId, body, actor);
    await audit({
      actor,
      action: "site.maintenance.start",
      target: { type: "site", id: siteId },
      result: "ok",
      detail: {
        maintenanceId: window.id,
        startsAt: window.startsAt,
        endsAt: window.endsAt,
        reason: window.reason,
      },
    });
    return { maintenance: window };
  },
);
