import { handler } from "@/lib/api/handler";
import { getPreview, previewTargets } from "@/lib/deploy/previews";

export const GET = handler("GET /api/previews/{id}/targets", async ({ params, query }) => {
  await getPreview(params.id);
  return previewTargets(params.id, query);
});
