import { alertsExternalUrl } from "@/lib/alerts/config";
import { sendTestNotification } from "@/lib/alerts/test-notification";
import { handler } from "@/lib/api/handler";

export const POST = handler("POST /api/alerts/contact-points/{id}/test", async ({ actor, params, audit }) => {
  const result = await sendTestNotification(params.id, alertsExternalUrl(), actor.username);
  audit.detail({ statusCode: result.outcome.statusCode, isOk: result.outcome.isOk });
  return result;
});
