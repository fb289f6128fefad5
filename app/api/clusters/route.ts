import { handler } from "@/lib/api/handler";
import { listClusters, registerCluster } from "@/lib/fleet/clusters";

export const GET = handler("GET /api/clusters", async ({ query }) => ({
  items: await listClusters(query.siteId),
}));

export const POST = handler("POST /api/clusters", async ({ body, audit }) => {
  audit.detail({ name: body.name, siteId: body.siteId });
  const result = await registerCluster(body);
  audit.target(result.cluster.id);
  audit.detail({
    server: result.cluster.server,
    tested: result.check.connection?.isOk ?? false,
  });
  return result;
});
