import { createRule, listRules } from "@/lib/alerts/rules-store";
import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/alerts/rules", async () => ({ rules: await listRules() }));

export const POST = handler("POST /api/alerts/rules", async ({ actor, body, audit }) => {
  const rule = await createRule(body, actor.username);
  audit.target(rule.id);
  audit.detail({ name: rule.name, kind: rule.kind });
  return { rule };
});
