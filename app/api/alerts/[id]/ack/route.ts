import { acknowledgeAlert } from "@/lib/alerts/alerts-store";
import { handler } from "@/lib/api/handler";

export const POST = handler("POST /api/alerts/{id}/ack", async ({ actor, params, body, audit }) => {
  const ack = await acknowledgeAlert(params.id, actor, body.comment ?? null);
  audit.detail({ comment: body.comment ?? null });
  return { ack };
});
