import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { ownerScope, revokeGrant, toView } from "@/lib/embed/grants";

// Every embed request checks the grant, so the next refresh of every frame shows "revoked".
export const POST = handler({ access: "operator", params: idParams }, async ({ actor, params }) => {
  const grant = toView(await revokeGrant(ownerScope(actor), actor, params.id));
  await audit({
    actor,
    action: "embed.grant.revoke",
    target: { type: "embed-grant", id: grant.id },
    result: "ok",
    detail: { kind: grant.kind, site: grant.site?.slug ?? null },
  });
  return { grant };
});
