import { handler } from "@/lib/api/handler";
import { db } from "@/lib/db/client";
import { maintenanceForSites } from "@/lib/maintenance/store";

/** Every site in maintenance right now (the fleet page's count and list): two small queries. */
export const GET = handler("GET /api/maintenance", async () => {
  const now = Date.now();
  const active = [...(await maintenanceForSites(null, now)).values()];
  const sites = await db().site.findMany({
    where: { id: { in: active.map((w) => w.siteId) } },
    select: { id: true, slug: true, name: true },
  });
  const byId = new Map(sites.map((s) => [s.id, s]));
  return {
    generatedAt: new Date(now).toISOString(),
    items: active
      .map((w) => ({
        ...w,
        siteSlug: byId.get(w.siteId)?.slug ?? "",
        siteName: byId.get(w.siteId)?.name ?? "",
      }))
      .sort((a, b) => a.endsAt - b.endsAt),
  };
});
