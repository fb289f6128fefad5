import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { siteInputSchema } from "@/lib/fleet/schemas";
import { createSite, listSites, siteListQuerySchema } from "@/lib/fleet/sites";

export const GET = handler({ access: "viewer", query: siteListQuerySchema }, async ({ query }) =>
  listSites(query),
);

export const POST = handler({ access: "admin", body: siteInputSchema }, async ({ actor, body }) => {
  const site = await createSite(body);
  await audit({
    actor,
    action: "site.create",
    target: { type: "site", id: site.id },
    result: "ok",
    detail: { name: site.name },
  });
  return { site };
});
