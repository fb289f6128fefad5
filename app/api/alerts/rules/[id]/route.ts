import { deleteRule, updateRule } from "@/lib/alerts/rules-store";
import { handler } from "@/lib/api/handler";

export const PUT = handler("PUT /api/alerts/rules/{id}", async ({ actor, params, body, audit }) => {
  const rule = await updateRule(params.id, body, actor.username);
  audit.detail({ name: rule.name, kind: rule.kind });
  return { rule };
});

export const DELETE = handler("DELETE /api/alerts/rules/{id}", async ({ params }) => {
  await deleteRule(params.id);
  return { ok: true };
});
