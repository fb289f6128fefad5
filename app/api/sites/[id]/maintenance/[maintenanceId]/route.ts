import { handler } from "@/lib/api/handler";
import { endMaintenance, requireSiteId } from "@/lib/maintenance/store";

/** Ends an active window now, or cancels a planned one. */
export const DELETE = handler(
  "DELETE /api/sites/{id}/maintenance/{maintenanceId}",
  async ({ actor, params, audit }) => {
    const siteId = await requireSiteId(params.id);
    audit.target(siteId);
    const window = await endMaintenance(siteId, params.maintenanceId, actor);
    audit.detail({ maintenanceId: window.id, endsAt: window.endsAt });
    return { maintenance: window };
  },
);
