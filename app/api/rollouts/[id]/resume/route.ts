import { handler } from "@/lib/api/handler";
import { resumeRollout } from "@/lib/deploy/rollouts";

export const POST = handler("POST /api/rollouts/{id}/resume", async ({ actor, params, body, audit }) => {
  audit.detail({ retryFailed: body.retryFailed });
  return { rollout: await resumeRollout(params.id, body, actor) };
});
