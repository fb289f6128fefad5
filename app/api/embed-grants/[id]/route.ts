import { handler } from "@/lib/api/handler";
import { ownedGrant, ownerScope, toView } from "@/lib/embed/grants";

export const GET = handler("GET /api/embed-grants/{id}", async ({ actor, params }) => ({
  grant: toView(await ownedGrant(ownerScope(actor), params.id)),
}));
