import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { credentialView } from "@/lib/embed/credential";
import { createGrant, listGrants, ownerScope, toView } from "@/lib/embed/grants";
import { publicBaseUrl } from "@/lib/embed/public-url";
import { grantCreateSchema, grantListQuerySchema } from "@/lib/embed/schemas";

// Embed grants (session zone). Operators see and manage their own, admins all.
export const GET = handler({ access: "operator", query: grantListQuerySchema }, async ({ actor, query }) => ({
  items: await listGrants(ownerScope(actor), query),
}));

// The link token or signing secret is in this response and nowhere else, ever.
export const POST = handler({ access: "operator", body: grantCreateSchema }, async ({ req, actor, body }) => {
  const { row, credential } = await createGrant(actor, body);
  const grant = toView(row);
  await audit({
    actor,
    action: "embed.grant.create",
    target: { type: "embed-grant", id: grant.id },
    result: "ok",
    detail: {
      kind: grant.kind,
      mode: grant.mode,
      site: grant.site?.slug ?? null,
      filter: grant.filter,
      ranges: grant.ranges,
      origins: grant.origins,
      expiresAt: grant.expiresAt,
    },
  });
  return { grant, credential: credentialView(publicBaseUrl(req), grant, credential) };
});
