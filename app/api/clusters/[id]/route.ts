import { handler } from "@/lib/api/handler";
import { idParams } from "@/lib/api/params";
import { audit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { deleteCluster, getCluster } from "@/lib/fleet/clusters";

export const GET = handler({ access: "viewer", params: idParams }, async ({ params }) => {
  const cluster = await getCluster(params.id);
  if (!cluster) throw new AppError("not_found", "Cluster not found");
  return { cluster };
});

export const DELETE = handler({ access: "admin", params: idParams }, async ({ actor, params }) => {
  await deleteCluster(params.id);
  await audit({ actor, action: "cluster.delete", target: { type: "cluster", id: params.id }, result: "ok" });
  return { ok: true };
});
