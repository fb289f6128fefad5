import { handler } from "@/lib/api/handler";
import { checkManifest } from "@/lib/deploy/deployments";

export const POST = handler("POST /api/deployments/validate", async ({ body }) =>
  checkManifest(body.manifest),
);
