import "server-only";
import { pruneFinished } from "@/lib/work/jobs";
import { singletonService } from "@/lib/work/service";

/**
 * Finished jobs and outbox rows are kept this long: their (queue, key) stays
 * taken, so a duplicate enqueue within the window is still a no-op.
 */
export const FINISHED_JOB_RETENTION_MS = 7 * 24 * 3_600_000;

export const workRetentionService = singletonService({
  name: "work-retention",
  intervalMs: 3_600_000,
  leaseMs: 60_000,
  async run() {
    await pruneFinished(new Date(Date.now() - FINISHED_JOB_RETENTION_MS));
  },
});
