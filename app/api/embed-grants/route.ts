import { handler } from "@/lib/api/handler";
import { credentialView } from "@/lib/embed/credential";
import { createGrant, listGrants, ownerScope, toView } from "@/lib/embed/grants";
import { publicBaseUrl } from "@/lib/embed/public-url";

// Embed grants (session zone). Operators see and manage their own, admins all.
export const GET = handler("GET /api/embed-grants", async ({ actor, query }) => ({
  items: await listGrants(ownerScope(actor), query),
}));

// The link token or signing secret is in this answer and nowhere else, ever.
export const POST = handler("POST /api/embed-grants", async ({ req, actor, body, audit }) => {
  const { row, credential } = await createGrant(actor, body);
  const grant = toView(row);
  audit.target(grant.id);
  audit.detail({
    kind: grant.kind,
    mode: grant.mode,
    site: grant.site?.slug ?? null,
    filter: grant.filter,
    ranges: grant.ranges,
    origins: grant.origins,
    expiresAt: grant.expiresAt,
  });
  return { grant, credential: credentialView(publicBaseUrl(req), grant, credential) };
});
