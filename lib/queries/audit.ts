import { apiFetch } from "./api";

/** An audit event as JSON (the API serialises the row's dates to strings). */
export interface AuditEventView {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  detail: string;
}

export const AUDIT_PAGE_SIZE = 100;
/** audit is the "what just happened" screen: poll it */
export const AUDIT_POLL_MS = 10_000;

export const auditKeys = {
  all: ["audit"] as const,
  list: (limit: number) => [...auditKeys.all, "list", { limit }] as const,
};

export function fetchAudit(limit: number, signal?: AbortSignal): Promise<{ items: AuditEventView[] }> {
  return apiFetch(`/api/audit?limit=${limit}`, { signal });
}
