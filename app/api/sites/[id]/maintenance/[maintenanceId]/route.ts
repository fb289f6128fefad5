import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { maintenanceParams } from "@/lib/maintenance/schemas";
import { endMaintenance, requireSiteId } from "@/lib/maintenance/store";

/** Ends an active window now, or cancels a planned one. */
export const DELETE = handler(
  { access: "operator", params: maintenanceParams },
  async ({ actor, params }) => {
    const siteId = await requireSiteId(params.id);
    const window = await endMaintenance(siteId, params.maintenanceId, actor);
    await audit({
      actor,
      action: "site.maintenance.end",
      target: { type: "site", id: siteId },
      result: "ok",
      detail: { maintenanceId: window.id, endsAt: window.endsAt },
    });
    return { maintenance: window };
  },
);
