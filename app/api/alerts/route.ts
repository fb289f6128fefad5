import { listAlerts } from "@/lib/alerts/alerts-store";
import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/alerts", async ({ query }) => listAlerts(query));
