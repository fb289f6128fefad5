import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { credentialView } from "@/lib/embed/credential";
import { ownerScope, reissueGrant, toView } from "@/lib/embed/grants";
import { publicBaseUrl } from "@/lib/embed/public-url";

// A new link token or signing secret (shown once); the old one stops working at once.
export const POST = handler({ access: "operator", params: idParams }, async ({ req, actor, params }) => {
  const { row, credential } = await reissueGrant(ownerScope(actor), params.id);
  const grant = toView(row);
  await audit({
    actor,
    action: "embed.grant.reissue",
    target: { type: "embed-grant", id: grant.id },
    result: "ok",
    detail: { mode: grant.mode },
  });
  return { grant, credential: credentialView(publicBaseUrl(req), grant, credential) };
});
