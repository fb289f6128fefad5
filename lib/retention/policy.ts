// How long history is kept. Pure: the cut-off for each history at a given instant.

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  /** contact history (reachability transitions and intermittent runs); 0 keeps it forever */
  contactHistoryDays: number;
  /** audit log; 0 keeps it forever */
  auditDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { contactHistoryDays: 30, auditDays: 365 };

/** Rows older than the cut-off may go; null when the history is kept forever. */
export function retentionCutoff(days: number, now: number): Date | null {
  return days > 0 ? new Date(now - days * DAY_MS) : null;
}
