import { handler } from "@/lib/api/handler";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export const GET = handler("GET /api/healthz", async () => {
  await db().$queryRaw`SELECT 1`;
  return { ok: true };
});
