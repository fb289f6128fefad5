import { handler } from "@/lib/api/handler";
import { openApiDocument } from "@/lib/api/openapi";

let cached: Record<string, unknown> | undefined;

export const GET = handler("GET /api/openapi.json", async () => {
  cached ??= openApiDocument();
  return cached;
});
