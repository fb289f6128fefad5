// Time-axis ticks for the heatmap, the state timeline and the line charts' x axis
// (handed to recharts, which then measures nothing): round steps, at most `maxTicks`, in local time.
import { NICE_STEPS_MS } from "@/lib/telemetry/interval";

/** The charts' bucket steps from a minute up (one list of round steps), then days and a week. */
const STEPS_MS = [...NICE_STEPS_MS.filter((s) => s >= 60_000), 2 * 86_400_000, 7 * 86_400_000];

export interface TimeTick {
  t: number;
  /** 0–1 across [from, to] */
  x: number;
  label: string;
}

/** Local-time offset of `t` in ms (east positive), so hour and day ticks land on local boundaries. */
function localOffsetMs(t: number): number {
  return -new Date(t).getTimezoneOffset() * 60_000;
}

/** Room one time label takes on an axis (px): how many ticks a plot of some width gets. */
export const TIME_LABEL_PX = 110;

/** At most this many ticks on an axis `widthPx` wide, and never fewer than two. */
export function tickCountFor(widthPx: number): number {
  return Math.max(2, Math.floor(widthPx / TIME_LABEL_PX));
}

export function timeTicks(from: number, to: number, maxTicks: number): TimeTick[] {
  const span = to - from;
  if (!(span > 0) || maxTicks < 1) return [];
  const step = STEPS_MS.find((s) => span / s <= maxTicks) ?? STEPS_MS[STEPS_MS.length - 1] ?? 86_400_000;
  const fmt = new Intl.DateTimeFormat(undefined, {
    ...(step >= 86_400_000 || span > 36 * 3_600_000 ? { day: "2-digit", month: "short" } : {}),
    ...(step < 86_400_000 ? { hour: "2-digit", minute: "2-digit" } : {}),
  });
  const offset = localOffsetMs(from);
  const ticks: TimeTick[] = [];
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= to; t += step) {
    ticks.push({ t, x: (t - from) / span, label: fmt.format(t) });
  }
  return ticks;
}

const FULL = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** "15 Jan 2026, 11:40 – 11:42": a bucket or run, the end without the date when it is the same day. */
export function formatSpan(from: number, to: number): string {
  const sameDay = new Date(from).toDateString() === new Date(to).toDateString();
  return `${FULL.format(from)} – ${sameDay ? TIME.format(to) : FULL.format(to)}`;
}

export function formatTime(t: number): string {
  return FULL.format(t);
}
