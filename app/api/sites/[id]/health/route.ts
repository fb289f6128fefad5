import { handler } from "@/lib/api/handler";
import { siteDetail } from "@/lib/fleet/health";

export const GET = handler("GET /api/sites/{id}/health", async ({ params }) => siteDetail(params.id));
