import "server-only";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import type { RetentionPolicy } from "./policy";
import { type PruneResult, pruneHistory } from "./prune";

// The retention pass as a background service of the worker host: one pass soon
// after start, then every RETENTION_EVERY_MS. Passes are idempotent, so a
// second instance running it does no harm (until lib/work gives it a lease).

export const RETENTION_EVERY_MS = 60 * 60_000;
const FIRST_PASS_AFTER_MS = 60_000;

export function retentionFromEnv(): RetentionPolicy {
  const e = env();
  return { contactHistoryDays: e.OUTPOST_CONTACT_HISTORY_DAYS, auditDays: e.OUTPOST_AUDIT_RETENTION_DAYS };
}

export interface RetentionService {
  /** one pass now (tests, and the timer) */
  runOnce(): Promise<PruneResult>;
  stop(): Promise<void>;
}

export function startRetention(
  policy: RetentionPolicy = retentionFromEnv(),
  options: { everyMs?: number; firstAfterMs?: number } = {},
): RetentionService {
  const controller = new AbortController();
  let running: Promise<PruneResult> | undefined;
  const runOnce = () => {
    running ??= pruneHistory(policy, { signal: controller.signal })
      .then((result) => {
        if (result.contactEvents + result.auditEvents > 0) log.info("retention pass", { ...result });
        return result;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const safePass = () =>
    void runOnce().catch((err: unknown) => log.error("retention pass failed", { error: String(err) }));
  const first = setTimeout(safePass, options.firstAfterMs ?? FIRST_PASS_AFTER_MS);
  const every = setInterval(safePass, options.everyMs ?? RETENTION_EVERY_MS);
  first.unref();
  every.unref();
  return {
    runOnce,
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      controller.abort();
      await running?.catch(() => undefined);
    },
  };
}
