"use client";

import { useEffect, useState } from "react";

/** The age shown next to a state ticks at this rate. */
export const CLOCK_TICK_MS = 1_000;

/**
 * The browser's clock, ticking. `null` during the server render and hydration,
 * so both render the same text (callers fall back to the data's own timestamp).
 */
export function useNow(tickMs = CLOCK_TICK_MS): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return now;
}

/**
 * "Now" on the server's clock: the response's generatedAt plus the time since
 * it arrived. Ages ("since 2 h 14 m") are then right even when the browser's
 * clock is off, and keep ticking while a refresh fails.
 */
export function serverNow(generatedAt: string, receivedAt: number, now: number | null): number {
  const generated = Date.parse(generatedAt);
  if (now === null || receivedAt <= 0) return generated;
  return generated + Math.max(0, now - receivedAt);
}
