import "server-only";
import { singletonService } from "@/lib/work/service";
import { refreshAhead } from "./freshness";

/** How often the worker recomputes the summary rows that are due (or about to be). */
export const SUMMARY_REFRESH_MS = 1_000;

export const fleetSummaryService = singletonService({
  name: "fleet-summary",
  intervalMs: SUMMARY_REFRESH_MS,
  leaseMs: 30_000,
  async run(_lease, signal) {
    // Writes are version-checked, not fenced: any process may recompute a row; the lease only avoids doing it twice.
    await refreshAhead(Date.now, signal);
  },
});
