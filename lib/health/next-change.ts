// When does a site's health change by time alone? A fresh cluster turns stale
// with no event at all, a certificate enters its warning window, a sentence
// says "for 3 m" instead of "for 2 m". The incremental fleet summary stores each
// site's state with this instant and recomputes it then, so the stored state is
// what siteHealth() would say at any moment. Pure, like the model it mirrors.
//
// Every time comparison of lib/health must have its boundary here. Conservative
// is fine (an instant at which nothing changes costs one recomputation); a
// missing one is a bug that the summary's equality test catches.
import { backoffGapMs, DEFAULT_MAX_BACKOFF_MS } from "./backoff";
import { toMs } from "./format";
import { assessReach, type FreshnessOptions, freshLimitMs, unreachableAfterMs } from "./freshness";
import {
  CERT_CRITICAL_MS,
  CERT_WARN_MS,
  COLLECTOR_STOPPED_AFTER_GAPS,
  FRESH_GRACE_MS,
  TELEMETRY_STALE_MS,
} from "./model";
import type { SiteHealthInput } from "./types";

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The first instant after `now` at which formatDuration/formatAgo of (t − from) reads differently. */
export function nextElapsedTextChange(from: number, now: number): number {
  const e = now - from;
  if (e < 0) return from + SECOND;
  const unit = e < MINUTE ? SECOND : e < DAY ? MINUTE : HOUR;
  return from + (Math.floor(e / unit) + 1) * unit;
}

/** The first instant after `now` at which the countdown to `until` (spanText) reads differently. */
export function nextCountdownTextChange(until: number, now: number): number {
  const r = until - now;
  if (r <= 0) return nextElapsedTextChange(until, now);
  // spanText: whole days from one day up, formatDuration below (seconds under a minute, else minutes).
  const unit = r >= DAY ? DAY : r >= MINUTE ? MINUTE : SECOND;
  return until - Math.floor(r / unit) * unit + 1;
}

/**
 * The earliest instant after `now` at which siteHealth(site, t) may differ from
 * siteHealth(site, now) with the same input (the healthy headline's "updated N s
 * ago" and lastSeenAt aside: those are rendered when shown). `hasReasons`: the
 * site's reasons carry relative times, which change too.
 */
export function nextStateChangeAt(
  site: SiteHealthInput,
  now: number,
  intervalMs: number,
  hasReasons: boolean,
  options: FreshnessOptions = {},
): number {
  let next = Number.POSITIVE_INFINITY;
  const at = (t: number | null) => {
    if (t !== null && t > now && t < next) next = t;
  };
  const maxBackoffMs = options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS;
  const freshLimit = freshLimitMs(intervalMs);
  const unreachableAfter = unreachableAfterMs(intervalMs);
  // Instants sentences count from ("for 2 h 14 m", "12 m ago").
  const since: number[] = [];
  const countdowns: number[] = [];
  let lastSeen: number | null = null;
  for (const c of site.clusters) {
    const a = assessReach(c.reach, now, intervalMs, options);
    const s = a.lastSuccessMs;
    if (s !== null) {
      at(s + freshLimit + 1);
      at(s + unreachableAfter);
      since.push(s);
      if (lastSeen === null || s > lastSeen) lastSeen = s;
    }
    if (a.sinceMs !== null) since.push(a.sinceMs);
    if (a.attemptMs !== null) {
      const gap = backoffGapMs(intervalMs, a.failures, maxBackoffMs);
      const behindAfter = 2 * gap + FRESH_GRACE_MS;
      at(a.attemptMs + behindAfter + 1);
      at(a.attemptMs + Math.max(COLLECTOR_STOPPED_AFTER_GAPS * gap, behindAfter) + 1);
    }
    const notAfter = toMs(c.certNotAfter);
    if (notAfter !== null) {
      at(notAfter - CERT_WARN_MS);
      at(notAfter - CERT_CRITICAL_MS);
      at(notAfter);
      countdowns.push(notAfter);
    }
    for (const n of c.summary?.notReady ?? []) {
      const t = toMs(n.since);
      if (t !== null) since.push(t);
    }
  }
  if (site.maxSilenceMinutes !== null && lastSeen !== null)
    at(lastSeen + site.maxSilenceMinutes * MINUTE + 1);
  // Offline windows are daily wall-clock minutes: re-judge at the next minute.
  if (site.contactMode === "intermittent" && site.expectedOfflineWindows.length > 0)
    at((Math.floor(now / MINUTE) + 1) * MINUTE);
  for (const h of site.telemetry?.hosts ?? []) {
    const last = toMs(h.lastPointAt);
    if (last !== null) {
      at(last + TELEMETRY_STALE_MS + 1);
      since.push(last);
    }
    const tempAt = toMs(h.tempAt);
    if (tempAt !== null) at(tempAt + TELEMETRY_STALE_MS + 1);
    if (h.clockSkewMs != null) {
      // "clock at 1970" names the year the host's clock reads.
      const year = new Date(now + h.clockSkewMs).getUTCFullYear();
      at(Date.UTC(year + 1, 0, 1) - h.clockSkewMs);
    }
  }
  if (hasReasons) {
    for (const t of since) at(nextElapsedTextChange(t, now));
    for (const t of countdowns) at(nextCountdownTextChange(t, now));
  }
  return next;
}
