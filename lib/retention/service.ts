import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { singletonService } from "@/lib/work/service";
import type { RetentionPolicy } from "./policy";
import { pruneHistory } from "./prune";

// The retention pass as a worker-host service: one instance of the deployment
// runs it (a singleton on the lease "retention"), at start and then hourly.
// Deleting rows past their age is harmless if ever repeated, so it needs no fencing.

export const RETENTION_EVERY_MS = 60 * 60_000;

export function retentionFromEnv(): RetentionPolicy {
  const e = env();
  return { contactHistoryDays: e.OUTPOST_CONTACT_HISTORY_DAYS, auditDays: e.OUTPOST_AUDIT_RETENTION_DAYS };
}

export const retentionService = singletonService({
  name: "retention",
  intervalMs: RETENTION_EVERY_MS,
  leaseMs: 60_000,
  async run(_lease, signal) {
    const result = await pruneHistory(retentionFromEnv(), { signal });
    if (result.contactEvents + result.auditEvents > 0) log.info("retention pass", { ...result });
  },
});
