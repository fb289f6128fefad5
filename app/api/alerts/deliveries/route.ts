import { listDeliveries } from "@/lib/alerts/deliveries-store";
import { handler } from "@/lib/api/handler";

export const GET = handler("GET /api/alerts/deliveries", async ({ query }) => ({
  deliveries: await listDeliveries(query),
}));
