import "server-only";
import { hasDueRows, refreshSummaries } from "./refresh";

// A request answers from the summary only once no row is due at its instant.
// Usually that is one indexed query that finds nothing (the worker refreshes
// rows ahead of their time); after a change it recomputes the few marked rows.
// Recomputations in this process are shared: a burst of requests waits for one.

/** A bulk change (a fleet imported) is finished by the worker, not by one request. */
const MAX_PASSES = 5;

const globalFlight = globalThis as unknown as { outpostSummaryFlight?: Promise<unknown> | null };

export async function ensureSummaryCurrent(now: number): Promise<void> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const running = globalFlight.outpostSummaryFlight;
    if (running) {
      await running.catch(() => undefined);
      continue;
    }
    if (!(await hasDueRows(now))) return;
    if (globalFlight.outpostSummaryFlight) continue;
    const flight = refreshSummaries(now, { lookaheadMs: 0 });
    globalFlight.outpostSummaryFlight = flight;
    try {
      await flight;
    } finally {
      if (globalFlight.outpostSummaryFlight === flight) globalFlight.outpostSummaryFlight = null;
    }
  }
}

/** The worker's pass: everything due soon, ahead of time, in batches until nothing is left. */
export async function refreshAhead(now: () => number, signal?: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    if (signal?.aborted) return total;
    while (globalFlight.outpostSummaryFlight) await globalFlight.outpostSummaryFlight.catch(() => undefined);
    const flight = refreshSummaries(now());
    globalFlight.outpostSummaryFlight = flight;
    let result: Awaited<typeof flight>;
    try {
      result = await flight;
    } finally {
      if (globalFlight.outpostSummaryFlight === flight) globalFlight.outpostSummaryFlight = null;
    }
    total += result.computed;
    if (!result.remaining) return total;
  }
}
