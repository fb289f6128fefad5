import { handler } from "@/lib/api/handler";
import { siteDeployments } from "@/lib/deploy/views";

export const GET = handler("GET /api/sites/{id}/deployments", ({ params }) => siteDeployments(params.id));
