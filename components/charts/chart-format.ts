// Time and value formats shared by the chart wrapper (its summary table) and its
// lazily loaded plot (axis ticks, tooltip): one definition, no recharts here.

export const FULL_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

/** Axis ticks: days only for ranges over 36 h, seconds only up to 30 min. */
export function timeFormatter(from: number, to: number): (t: number) => string {
  const span = to - from;
  const fmt = new Intl.DateTimeFormat(undefined, {
    ...(span > 36 * 3_600_000 ? { day: "2-digit", month: "short" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    ...(span <= 30 * 60_000 ? { second: "2-digit" } : {}),
  });
  return (t) => fmt.format(t);
}

/** "21.5 °C", or "–" for a missing value. */
export function formatValue(v: number | null | undefined, digits: number, unit: string): string {
  return v === null || v === undefined ? "–" : `${v.toFixed(digits)} ${unit}`;
}
