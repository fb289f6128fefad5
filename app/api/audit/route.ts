import { handler } from "@/lib/api/handler";
import { db } from "@/lib/db/client";

export const GET = handler("GET /api/audit", async ({ query }) => ({
  items: await db().auditEvent.findMany({ orderBy: { at: "desc" }, take: query.limit }),
}));
