import { handler } from "@/lib/api/handler";
import { grantEvents, ownerScope } from "@/lib/embed/grants";

// The grant's own audit trail: creation, reissues, revocation and (throttled) refused requests.
export const GET = handler("GET /api/embed-grants/{id}/events", async ({ actor, params }) => ({
  items: await grantEvents(ownerScope(actor), params.id),
}));
