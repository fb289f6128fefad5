import { handler } from "@/lib/api/handler";
import { retestCluster } from "@/lib/fleet/clusters";

export const POST = handler("POST /api/clusters/{id}/test", async ({ params }) => ({
  connection: await retestCluster(params.id),
}));
