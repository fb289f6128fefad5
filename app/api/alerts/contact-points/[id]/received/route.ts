import { demoSinkMessages } from "@/lib/alerts/test-notification";
import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/alerts/contact-points/{id}/received", async ({ params }) => ({
  received: await demoSinkMessages(params.id),
}));
