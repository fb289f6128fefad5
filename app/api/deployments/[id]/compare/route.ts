import { handler } from "@/lib/api/handler";
import { compareRevisionNumbers, findDeployment } from "@/lib/deploy/deployments";

export const GET = handler("GET /api/deployments/{id}/compare", async ({ params, query }) => {
  const deployment = await findDeployment(params.id);
  return compareRevisionNumbers(deployment.id, query.from, query.to);
});
