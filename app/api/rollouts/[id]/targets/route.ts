import { handler } from "@/lib/api/handler";
import { rolloutTargets } from "@/lib/deploy/views";

export const GET = handler("GET /api/rollouts/{id}/targets", ({ params, query }) =>
  rolloutTargets(params.id, query),
);
