import { handler } from "@/lib/api/handler";
import { requireSiteId, siteMaintenance, startMaintenance } from "@/lib/maintenance/store";

export const GET = handler("GET /api/sites/{id}/maintenance", async ({ params }) => {
  return siteMaintenance(await requireSiteId(params.id));
});

export const POST = handler("POST /api/sites/{id}/maintenance", async ({ actor, params, body, audit }) => {
  const siteId = await requireSiteId(params.id);
  audit.target(siteId);
  const window = await startMaintenance(siteId, body, actor);
  audit.detail({
    maintenanceId: window.id,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
    reason: window.reason,
  });
  return { maintenance: window };
});
