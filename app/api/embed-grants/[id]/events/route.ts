import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { grantEvents, ownerScope } from "@/lib/embed/grants";

// The grant's own audit trail: creation, reissues, revocation and (throttled) refused requests.
export const GET = handler({ access: "operator", params: idParams }, async ({ actor, params }) => ({
  items: await grantEvents(ownerScope(actor), params.id),
}));
