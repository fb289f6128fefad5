import { handler } from "@/lib/api/handler";
import { resolveFleetSelection } from "@/lib/deploy/fleet-selection-resolve";

export const POST = handler("POST /api/deployments/fleet-selection", async ({ body }) =>
  resolveFleetSelection(body),
);
