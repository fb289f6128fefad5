import { handler } from "@/lib/api/handler";
import { rolloutDetail } from "@/lib/deploy/views";

export const GET = handler("GET /api/rollouts/{id}", async ({ params }) => ({
  rollout: await rolloutDetail(params.id),
}));
