import { handler } from "@/lib/api/handler";
import { ownerScope, revokeGrant, toView } from "@/lib/embed/grants";

// Every embed request checks the grant, so the next refresh of every frame shows "revoked".
export const POST = handler("POST /api/embed-grants/{id}/revoke", async ({ actor, params, audit }) => {
  const grant = toView(await revokeGrant(ownerScope(actor), actor, params.id));
  audit.detail({ kind: grant.kind, site: grant.site?.slug ?? null });
  return { grant };
});
