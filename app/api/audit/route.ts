import { z } from "zod";
import { handler } from "@/lib/api/handler";
import { db } from "@/lib/db/client";

export const GET = handler(
  { access: "admin", query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  async ({ query }) => ({
    items: await db().auditEvent.findMany({ orderBy: { at: "desc" }, take: query.limit }),
  }),
);
