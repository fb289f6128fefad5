import { handler } from "@/lib/api/handler";
import { getPreview } from "@/lib/deploy/previews";

export const GET = handler("GET /api/previews/{id}", async ({ params }) => ({
  preview: await getPreview(params.id),
}));
