import { handler } from "@/lib/api/handler";
import { createDeployment } from "@/lib/deploy/deployments";
import { listDeployments } from "@/lib/deploy/views";

export const GET = handler("GET /api/deployments", ({ query }) => listDeployments(query));

export const POST = handler("POST /api/deployments", async ({ actor, body, audit }) => {
  const created = await createDeployment(body, actor);
  audit.target(created.deployment.id);
  audit.detail({
    name: created.deployment.name,
    revision: created.revision.number,
    objects: created.revision.objects.length,
  });
  return created;
});
