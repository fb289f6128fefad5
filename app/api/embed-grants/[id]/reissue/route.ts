import { handler } from "@/lib/api/handler";
import { credentialView } from "@/lib/embed/credential";
import { ownerScope, reissueGrant, toView } from "@/lib/embed/grants";
import { publicBaseUrl } from "@/lib/embed/public-url";

// A new link token or signing secret (shown once); the old one stops working at once.
export const POST = handler("POST /api/embed-grants/{id}/reissue", async ({ req, actor, params, audit }) => {
  const { row, credential } = await reissueGrant(ownerScope(actor), params.id);
  const grant = toView(row);
  audit.detail({ mode: grant.mode });
  return { grant, credential: credentialView(publicBaseUrl(req), grant, credential) };
});
