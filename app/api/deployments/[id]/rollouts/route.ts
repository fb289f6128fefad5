import { handler } from "@/lib/api/handler";
import { findDeployment } from "@/lib/deploy/deployments";
import { startRollout } from "@/lib/deploy/rollouts";
import { describeSelector, type TargetSelector } from "@/lib/deploy/selector";

export const POST = handler("POST /api/deployments/{id}/rollouts", async ({ actor, params, body, audit }) => {
  const deployment = await findDeployment(params.id);
  audit.target(deployment.id);
  audit.detail({
    name: deployment.name,
    selector: describeSelector(body.targets as TargetSelector),
    force: body.force,
  });
  const rollout = await startRollout(deployment.id, body, actor);
  audit.detail({
    name: deployment.name,
    rollout: rollout.id,
    revision: rollout.revision,
    targets: rollout.total,
    waves: rollout.waves.map((w) => `${w.name}: ${w.size}`).join(", "),
    selector: describeSelector(body.targets as TargetSelector),
    force: body.force,
  });
  return rollout;
});
