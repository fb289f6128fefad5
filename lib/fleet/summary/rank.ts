// Name order for SQL: the fleet list sorts equal severities and equal "since"
// by name the way people read it (store-2 before store-10, case and accents
// ignored), which no SQL collation does the same on SQLite and PostgreSQL.
// Each summary row carries a number whose order is that order; new or renamed
// sites get a number between their neighbours, and everything is renumbered
// when the gaps run out. Pure.
import { compareSiteNames } from "@/lib/health/site";

/** Gap between neighbours after a renumbering: many insertions fit before the next one. */
export const RANK_STEP = 2 ** 32;

export interface Ranked {
  id: string;
  name: string;
  rank: number;
}

/** Same order as compareSiteHealth's tie-break: name, then id. */
export function compareByName(a: { id: string; name: string }, b: { id: string; name: string }): number {
  return compareSiteNames(a.name, a.id, b.name, b.id);
}

/**
 * Ranks for `incoming` (new or renamed sites) among `ranked` (the rest, in rank
 * order). Returns the ranks to write: usually only the incoming ones; every
 * site's when a gap is exhausted (`isRenumbered`).
 */
export function assignRanks(
  ranked: readonly Ranked[],
  incoming: readonly { id: string; name: string }[],
): { ranks: Map<string, number>; isRenumbered: boolean } {
  const order = [...ranked];
  const ranks = new Map<string, number>();
  const sorted = [...incoming].sort(compareByName);
  let isRenumbered = false;
  for (const site of sorted) {
    // Binary search for the first ranked site that sorts after this one.
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareByName(order[mid] as Ranked, site) < 0) lo = mid + 1;
      else hi = mid;
    }
    const before = order[lo - 1]?.rank ?? 0;
    const after = order[lo]?.rank ?? before + 2 * RANK_STEP;
    const rank = Math.floor((before + after) / 2);
    if (rank <= before || rank >= after) isRenumbered = true;
    const entry: Ranked = { id: site.id, name: site.name, rank };
    order.splice(lo, 0, entry);
    ranks.set(site.id, rank);
  }
  if (!isRenumbered) return { ranks, isRenumbered };
  const all = new Map<string, number>();
  order.forEach((r, i) => {
    all.set(r.id, (i + 1) * RANK_STEP);
  });
  return { ranks: all, isRenumbered: true };
}
