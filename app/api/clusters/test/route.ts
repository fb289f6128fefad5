import { handler } from "@/lib/api/handler";
import { checkKubeconfig } from "@/lib/fleet/clusters";

// Validates a kubeconfig and calls /version without storing anything.
export const POST = handler("POST /api/clusters/test", async ({ body }) => {
  const { yaml: _secret, ...check } = await checkKubeconfig(body);
  return check;
});
