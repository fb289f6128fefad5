import { handler } from "@/lib/api/handler";
import { createSite, listSites } from "@/lib/fleet/sites";

export const GET = handler("GET /api/sites", async ({ query }) => listSites(query));

export const POST = handler("POST /api/sites", async ({ body, audit }) => {
  const site = await createSite(body);
  audit.target(site.id);
  audit.detail({ name: site.name });
  return { site };
});
