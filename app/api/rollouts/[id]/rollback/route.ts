import { handler } from "@/lib/api/handler";
import { rollbackRollout } from "@/lib/deploy/rollouts";

export const POST = handler("POST /api/rollouts/{id}/rollback", async ({ actor, params, body, audit }) => {
  const rollback = await rollbackRollout(params.id, body, actor);
  audit.detail({ rollback: rollback.id, toRevision: rollback.revision, targets: rollback.total });
  return rollback;
});
