import { handler } from "@/lib/api/handler";
import { findDeployment, getRevision } from "@/lib/deploy/deployments";

export const GET = handler("GET /api/deployments/{id}/revisions/{number}", async ({ params }) => {
  const deployment = await findDeployment(params.id);
  return { revision: await getRevision(deployment.id, params.number) };
});
