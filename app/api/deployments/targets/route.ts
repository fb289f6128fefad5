import { handler } from "@/lib/api/handler";
import type { TargetSelector } from "@/lib/deploy/selector";
import { describeTargets } from "@/lib/deploy/targets";

export const POST = handler("POST /api/deployments/targets", async ({ body }) =>
  describeTargets(body.targets as TargetSelector),
);
