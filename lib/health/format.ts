// Small text helpers shared by every health sentence, so "2 h 14 m" reads the
// same on the fleet list, a site page and in a notification.

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "45 s", "12 m", "2 h 14 m", "3 d 4 h". Rounds down: an operator told "5 m"
 * should never find that only 4 m 40 s have passed. Two units at most, because
 * seconds next to days are noise.
 */
export function formatDuration(ms: number): string {
  const t = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (t < MINUTE) return `${Math.floor(t / SECOND)} s`;
  if (t < HOUR) return `${Math.floor(t / MINUTE)} m`;
  if (t < DAY) {
    const h = Math.floor(t / HOUR);
    const m = Math.floor((t % HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} m`;
  }
  const d = Math.floor(t / DAY);
  const h = Math.floor((t % DAY) / HOUR);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

export function formatAgo(ms: number): string {
  return ms < SECOND ? "just now" : `${formatDuration(ms)} ago`;
}

/** "1 node", "1,234 nodes" (en-US grouping on server and browser alike). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "a, b, c and 4 more": reasons stay one line however many items fail. */
export function listFew(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/**
 * ISO text to epoch ms. The collector stores toISOString() output, and a
 * fleet roll-up reads ~90,000 of them: that exact shape is decoded by hand
 * (about 3× cheaper than Date.parse), anything else goes through Date.parse.
 */
export function toMs(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const t = iso.length === 24 ? parseCanonicalIso(iso) : Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseCanonicalIso(s: string): number {
  // Separators of YYYY-MM-DDTHH:mm:ss.sssZ: "-" 45, "T" 84, ":" 58, "." 46, "Z" 90.
  if (
    s.charCodeAt(4) !== 45 ||
    s.charCodeAt(7) !== 45 ||
    s.charCodeAt(10) !== 84 ||
    s.charCodeAt(13) !== 58 ||
    s.charCodeAt(16) !== 58 ||
    s.charCodeAt(19) !== 46 ||
    s.charCodeAt(23) !== 90
  ) {
    return Date.parse(s);
  }
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = digits(s, 20, 3);
  const isLeap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 && isLeap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  // Date.parse refuses 31 February rather than rolling over, and so do we.
  if (!(day >= 1 && day <= monthDays && hour <= 23 && minute <= 59 && second <= 59)) return Number.NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    n = n * 10 + d;
  }
  return n;
}

export function toIso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
