// Test data for the route × role matrix (lib/api/route-matrix.test.ts): per route,
// the request a caller with enough role sends and the status it gets. Probes must
// change nothing (unknown ids, invalid bodies), because every column sends them.

export interface Probe {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** JSON body; sent as application/json */
  body?: unknown;
  /** the status for callers the route lets in */
  allowed: number;
}

/** An id no row has. */
export const MISSING = "missing-id-000";
