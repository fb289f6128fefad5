import { handler } from "@/lib/api/handler";
import { createRevision, findDeployment } from "@/lib/deploy/deployments";

export const POST = handler(
  "POST /api/deployments/{id}/revisions",
  async ({ actor, params, body, audit }) => {
    const deployment = await findDeployment(params.id);
    audit.target(deployment.id);
    const result = await createRevision(deployment.id, body, actor);
    audit.detail({ name: deployment.name, revision: result.revision.number, isNew: result.isNew });
    return result;
  },
);
