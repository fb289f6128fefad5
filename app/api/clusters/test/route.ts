import { handler } from "@/lib/api/handler";
import { checkKubeconfig } from "@/lib/fleet/clusters";
import { kubeconfigInputSchema } from "@/lib/fleet/schemas";

// Validates a kubeconfig and calls /version without storing anything.
export const POST = handler({ access: "admin", body: kubeconfigInputSchema }, async ({ body }) => {
  const { yaml: _secret, ...check } = await checkKubeconfig(body);
  return check;
});
