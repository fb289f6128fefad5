import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { ownedGrant, ownerScope, toView } from "@/lib/embed/grants";

export const GET = handler({ access: "operator", params: idParams }, async ({ actor, params }) => ({
  grant: toView(await ownedGrant(ownerScope(actor), params.id)),
}));
