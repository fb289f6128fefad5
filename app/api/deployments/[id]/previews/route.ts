import { handler } from "@/lib/api/handler";
import { findDeployment } from "@/lib/deploy/deployments";
import { createPreview } from "@/lib/deploy/previews";
import { describeSelector, type TargetSelector } from "@/lib/deploy/selector";

export const POST = handler("POST /api/deployments/{id}/previews", async ({ actor, params, body, audit }) => {
  const deployment = await findDeployment(params.id);
  audit.target(deployment.id);
  const preview = await createPreview(deployment.id, body, actor);
  audit.detail({
    name: deployment.name,
    preview: preview.id,
    targets: preview.total,
    selector: describeSelector(body.targets as TargetSelector),
    force: body.force,
  });
  return preview;
});
