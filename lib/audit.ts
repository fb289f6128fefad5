import "server-only";
import type { Actor } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

export interface AuditInput {
  actor: Pick<Actor, "userId" | "username"> | null;
  /** dotted verb, e.g. "cluster.register", "auth.login" */
  action: string;
  target?: { type: string; id?: string | null };
  result: "ok" | "denied" | "error";
  /** never secrets: callers pass names, ids and outcomes only */
  detail?: Record<string, unknown>;
}

export async function audit(input: AuditInput): Promise<void> {
  await db().auditEvent.create({
    data: {
      actorId: input.actor?.userId ?? null,
      actorName: input.actor?.username ?? "anonymous",
      action: input.action,
      targetType: input.target?.type ?? null,
      targetId: input.target?.id ?? null,
      result: input.result,
      detail: JSON.stringify(input.detail ?? {}),
    },
  });
}
