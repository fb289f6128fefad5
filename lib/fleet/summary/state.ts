// What a summary row stores of a site's health, and the text the fleet filter
// searches. Pure: the refresher writes it, the equality test compares it with
// the pure roll-up field by field.
import type { SiteHealth } from "@/lib/health/model";

/**
 * The parts of SiteHealth that hold between two events: everything but the
 * healthy headline's "updated N s ago" and lastSeenAt, which move with every
 * poll and are rendered when a site is shown.
 */
export type SummaryState = Pick<
  SiteHealth,
  "siteId" | "status" | "severity" | "since" | "reasons" | "counts" | "axes"
>;

export function summaryStateOf(h: SiteHealth): SummaryState {
  return {
    siteId: h.siteId,
    status: h.status,
    severity: h.severity,
    since: h.since,
    reasons: h.reasons,
    counts: h.counts,
    axes: h.axes,
  };
}

/** Lowercased reason sentences joined by U+001F (the text filter refuses control characters, so no match spans two). */
export function searchTextOf(h: Pick<SiteHealth, "reasons">): string {
  return h.reasons.map((r) => r.sentence.toLowerCase()).join("\u001f");
}

/** "since" as a sort key: epoch ms, −1 for none (DESC then puts those last, like compareSiteHealth). */
export function sinceSortOf(since: string | null): number {
  if (since === null) return -1;
  const t = Date.parse(since);
  return Number.isNaN(t) ? -1 : t;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern with ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
