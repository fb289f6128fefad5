import "server-only";
import { env } from "@/lib/env";

// The alerts' knobs, read once from the parsed environment.

export function evaluationIntervalMs(): number {
  return env().OUTPOST_ALERTS_INTERVAL_SECONDS * 1000;
}

/** How far behind the clock the evaluator's temperature window ends. */
export function ingestDelayMs(): number {
  return env().OUTPOST_ALERTS_INGEST_DELAY_SECONDS * 1000;
}

/** The evaluator's lease and each delivery's claim: how long a dead or paused worker holds them. */
export function leaseMs(): number {
  return env().OUTPOST_ALERTS_LEASE_SECONDS * 1000;
}

/** Links in notifications: the public URL when configured, else this server's local address. */
export function alertsExternalUrl(): string {
  const e = env();
  return e.OUTPOST_PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  /** a delivery older than this is given up (failed) */
  maxAgeMs: number;
}

export function retryPolicy(): RetryPolicy {
  const e = env();
  return {
    baseMs: e.OUTPOST_ALERTS_RETRY_BASE_MS,
    maxMs: e.OUTPOST_ALERTS_RETRY_MAX_MS,
    maxAgeMs: e.OUTPOST_ALERTS_DELIVERY_MAX_AGE_HOURS * 3_600_000,
  };
}
