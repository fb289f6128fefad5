// Daily windows in which an intermittent site (a truck, a ship) is expected to
// be dark, e.g. 22:00–06:00 Europe/Madrid. Evaluated for thousands of sites per
// roll-up, so formatters are built once per time zone and the local minute is
// memoised per zone and UTC minute (every site in one roll-up shares `now`).
import type { OfflineWindowInput } from "./types";

const MINUTE_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat | null>();
const localMinuteMemo = new Map<string, { utcMinute: number; localMinute: number | null }>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        hour: "2-digit",
        minute: "2-digit",
      });
    } catch {
      // Inputs are validated on save; an unknown zone read back from old data just disables the window.
      f = null;
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Minutes since local midnight in `timeZone` at `ms`; null for an unknown zone. */
export function localMinuteOfDay(ms: number, timeZone: string): number | null {
  const utcMinute = Math.floor(ms / MINUTE_MS);
  const memo = localMinuteMemo.get(timeZone);
  if (memo && memo.utcMinute === utcMinute) return memo.localMinute;
  const f = formatterFor(timeZone);
  let localMinute: number | null = null;
  if (f) {
    let hour = 0;
    let minute = 0;
    for (const part of f.formatToParts(ms)) {
      if (part.type === "hour") hour = Number(part.value) % 24;
      else if (part.type === "minute") minute = Number(part.value);
    }
    localMinute = hour * 60 + minute;
  }
  localMinuteMemo.set(timeZone, { utcMinute, localMinute });
  return localMinute;
}

/** "22:00" → 1320; null when malformed. */
export function parseHhmm(value: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/**
 * Start inclusive, end exclusive. A window whose end is before its start
 * crosses midnight (22:00–06:00); equal ends mean the whole day, because
 * "00:00–00:00" is how people write "always".
 */
export function isMinuteInWindow(minute: number, start: number, end: number): boolean {
  if (start === end) return true;
  if (start < end) return minute >= start && minute < end;
  return minute >= start || minute < end;
}

export function isInOfflineWindow(window: OfflineWindowInput, now: number): boolean {
  const start = parseHhmm(window.start);
  const end = parseHhmm(window.end);
  if (start === null || end === null) return false;
  const minute = localMinuteOfDay(now, window.timeZone);
  return minute !== null && isMinuteInWindow(minute, start, end);
}

/** The first window that contains `now`, for the sentence that names it. */
export function activeOfflineWindow(
  windows: readonly OfflineWindowInput[],
  now: number,
): OfflineWindowInput | null {
  for (const w of windows) if (isInOfflineWindow(w, now)) return w;
  return null;
}

export function formatWindow(window: OfflineWindowInput): string {
  return `${window.start}–${window.end} ${window.timeZone}`;
}
