import "server-only";
import { z } from "zod";
import { db } from "@/lib/db/client";

// The delivery log (admin): every notification, each attempt with its status
// code and latency, newest first.

export const deliveryListQuerySchema = z.object({
  contactPoint: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export interface DeliveryView {
  id: string;
  contactPoint: { id: string; name: string };
  groupKey: string;
  reason: string;
  status: string;
  alertCount: number;
  state: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  summary: string;
  attemptLog: {
    at: string;
    attempt: number;
    statusCode: number | null;
    latencyMs: number;
    error: string | null;
  }[];
}

export async function listDeliveries(q: z.output<typeof deliveryListQuerySchema>): Promise<DeliveryView[]> {
  const rows = await db().alertDelivery.findMany({
    where: q.contactPoint ? { contactPointId: q.contactPoint } : {},
    orderBy: { createdAt: "desc" },
    take: q.limit,
    include: {
      contactPoint: { select: { id: true, name: true } },
      attemptLog: { orderBy: { at: "asc" } },
    },
  });
  return rows.map((r) => {
    let summary = "";
    try {
      const body = JSON.parse(r.payload) as { alerts?: { annotations?: { summary?: string } }[] };
      summary = (body.alerts ?? [])
        .map((a) => a.annotations?.summary ?? "")
        .filter(Boolean)
        .slice(0, 3)
        .join("; ");
    } catch {
      summary = "";
    }
    return {
      id: r.id,
      contactPoint: r.contactPoint,
      groupKey: r.groupKey,
      reason: r.reason,
      status: r.status,
      alertCount: r.alertCount,
      state: r.state,
      attempts: r.attempts,
      lastStatusCode: r.lastStatusCode,
      lastError: r.lastError,
      createdAt: r.createdAt.toISOString(),
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      summary,
      attemptLog: r.attemptLog.map((a) => ({
        at: a.at.toISOString(),
        attempt: a.attempt,
        statusCode: a.statusCode,
        latencyMs: a.latencyMs,
        error: a.error,
      })),
    };
  });
}
