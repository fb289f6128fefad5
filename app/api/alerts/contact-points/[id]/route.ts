import { deleteContactPoint, updateContactPoint } from "@/lib/alerts/contact-points";
import { handler } from "@/lib/api/handler";

export const PUT = handler("PUT /api/alerts/contact-points/{id}", async ({ params, body, audit }) => {
  const { contactPoint, secret } = await updateContactPoint(params.id, body);
  audit.detail({ name: contactPoint.name, rotatedSecret: secret !== null });
  return secret ? { contactPoint, secret } : { contactPoint };
});

export const DELETE = handler("DELETE /api/alerts/contact-points/{id}", async ({ params }) => {
  await deleteContactPoint(params.id);
  return { ok: true };
});
