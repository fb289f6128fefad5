import { handler } from "@/lib/api/handler";
import { describeRestart } from "@/lib/deploy/restart";
import { startRestart } from "@/lib/deploy/rollouts";
import { describeSelector, type TargetSelector } from "@/lib/deploy/selector";

export const POST = handler("POST /api/restarts", async ({ actor, body, audit }) => {
  const restart = await startRestart(body, actor);
  audit.target(restart.deploymentId);
  audit.detail({
    name: restart.name,
    rollout: restart.id,
    workloads: describeRestart(body.workloads),
    targets: restart.total,
    selector: describeSelector(body.targets as TargetSelector),
  });
  return restart;
});
