import { handler } from "@/lib/api/handler";
import { deploymentDetail } from "@/lib/deploy/views";

export const GET = handler("GET /api/deployments/{id}", ({ params }) => deploymentDetail(params.id));
