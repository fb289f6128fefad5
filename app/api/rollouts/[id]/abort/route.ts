import { handler } from "@/lib/api/handler";
import { abortRollout } from "@/lib/deploy/rollouts";

export const POST = handler("POST /api/rollouts/{id}/abort", async ({ actor, params }) => ({
  rollout: await abortRollout(params.id, actor),
}));
