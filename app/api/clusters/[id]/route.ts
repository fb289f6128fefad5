import { handler } from "@/lib/api/handler";
import { AppError } from "@/lib/errors";
import { deleteCluster, getCluster } from "@/lib/fleet/clusters";

export const GET = handler("GET /api/clusters/{id}", async ({ params }) => {
  const cluster = await getCluster(params.id);
  if (!cluster) throw new AppError("not_found", "Cluster not found");
  return { cluster };
});

export const DELETE = handler("DELETE /api/clusters/{id}", async ({ params }) => {
  await deleteCluster(params.id);
  return { ok: true };
});
