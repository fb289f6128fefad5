import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { retestCluster } from "@/lib/fleet/clusters";

export const POST = handler({ access: "operator", params: idParams }, async ({ params }) => ({
  connection: await retestCluster(params.id),
}));
