import { z } from "zod";
import { handler } from "@/lib/api/handler";
import { audit } from "@/lib/audit";
import { listClusters, registerCluster } from "@/lib/fleet/clusters";
import { clusterRegisterSchema } from "@/lib/fleet/schemas";

export const GET = handler(
  { access: "viewer", query: z.object({ siteId: z.string().optional() }) },
  async ({ query }) => ({
    items: await listClusters(query.siteId),
  }),
);

export const POST = handler({ access: "admin", body: clusterRegisterSchema }, async ({ actor, body }) => {
  try {
    const result = await registerCluster(body);
    await audit({
      actor,
      action: "cluster.register",
      target: { type: "cluster", id: result.cluster.id },
      result: "ok",
      detail: {
        name: result.cluster.name,
        server: result.cluster.server,
        tested: result.check.connection?.isOk ?? false,
      },
    });
    return result;
  } catch (err) {
    await audit({
      actor,
      action: "cluster.register",
      result: "error",
      detail: { name: body.name, siteId: body.siteId },
    });
    throw err;
  }
});
