import { handler } from "@/lib/api/handler";
import { pauseRollout } from "@/lib/deploy/rollouts";

export const POST = handler("POST /api/rollouts/{id}/pause", async ({ actor, params }) => ({
  rollout: await pauseRollout(params.id, actor),
}));
