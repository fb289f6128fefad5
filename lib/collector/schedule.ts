// When to poll each cluster next. Pure, so the herd and backoff rules are
// tested without clocks or sockets. The backoff policy itself lives in
// lib/health/backoff.ts, where the health model reads it too.
import { DEFAULT_MAX_BACKOFF_MS, jitteredGapMs } from "@/lib/health/backoff";

export interface ScheduleConfig {
  intervalMs: number;
  /** backoff never waits longer than this between attempts */
  maxBackoffMs: number;
  /** every Nth successful poll also reads workloads, events and /version */
  detailEvery: number;
}

export const DEFAULT_SCHEDULE: ScheduleConfig = {
  intervalMs: 15_000,
  maxBackoffMs: DEFAULT_MAX_BACKOFF_MS,
  detailEvery: 4,
};

/** Spread first polls over one interval so a restart does not hit every site at once. */
export function initialDelay(config: ScheduleConfig, random: number): number {
  return Math.floor(random * config.intervalMs);
}

/**
 * Healthy clusters, and ones that only just failed, come back every interval
 * ±10 %; after a few failures they back off exponentially (×2 per failure,
 * ±20 % jitter, capped), so a long-dark fleet region costs little and does not
 * become a reconnect storm when it returns.
 */
export function nextDelay(config: ScheduleConfig, consecutiveFailures: number, random: number): number {
  return jitteredGapMs(config.intervalMs, consecutiveFailures, config.maxBackoffMs, random);
}

/** Failing clusters may use at most this share of the workers, so blackholed sites cannot starve healthy ones. */
export const FAILING_WORKER_SHARE = 0.25;

export interface QueueEntry {
  dueAt: number;
  consecutiveFailures: number;
}

/**
 * Picks what to start now: due healthy clusters first (earliest first), then
 * due failing ones up to their worker share.
 */
export function pickDue<T extends QueueEntry>(
  entries: Iterable<T>,
  now: number,
  freeWorkers: number,
  busyFailing: number,
  totalWorkers: number,
): T[] {
  if (freeWorkers <= 0) return [];
  const healthy: T[] = [];
  const failing: T[] = [];
  for (const e of entries) {
    if (e.dueAt > now) continue;
    (e.consecutiveFailures > 0 ? failing : healthy).push(e);
  }
  healthy.sort((a, b) => a.dueAt - b.dueAt);
  failing.sort((a, b) => a.dueAt - b.dueAt);
  const picked = healthy.slice(0, freeWorkers);
  const failingSlots = Math.max(1, Math.floor(totalWorkers * FAILING_WORKER_SHARE)) - busyFailing;
  const room = Math.min(freeWorkers - picked.length, failingSlots);
  if (room > 0) picked.push(...failing.slice(0, room));
  return picked;
}
