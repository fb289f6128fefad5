import { createContactPoint, listContactPoints } from "@/lib/alerts/contact-points";
import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/alerts/contact-points", async () => ({
  contactPoints: await listContactPoints(),
}));

export const POST = handler("POST /api/alerts/contact-points", async ({ body, audit }) => {
  const { contactPoint, secret } = await createContactPoint(body);
  audit.target(contactPoint.id);
  audit.detail({ name: contactPoint.name, kind: contactPoint.kind });
  // The signing secret is shown this once; only its encrypted form is kept.
  return { contactPoint, secret };
});
