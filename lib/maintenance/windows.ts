// Site maintenance: an operator-set window (start, end, reason) during which a
// site's alerts stay visible but notify nobody, and deployments hold the site.
// Different from expected-offline windows (a site's daily routine): maintenance
// is a one-off decision with a name and a reason on it. Pure: `now` is a parameter.

export interface MaintenanceWindow {
  id: string;
  siteId: string;
  /** ms since epoch; start inclusive, end exclusive */
  startsAt: number;
  endsAt: number;
  reason: string;
  createdBy: string;
  /** set when an operator ended the window early (endsAt then equals that moment) */
  endedBy?: string | null;
}

export function isMaintenanceActive(w: MaintenanceWindow, now: number): boolean {
  return w.startsAt <= now && now < w.endsAt;
}

/**
 * The window in force at `now`, or null. Overlapping windows (one planned, one
 * started on the spot) are one maintenance: the one that lasts longest speaks
 * for the site, since that is when it comes back.
 */
export function activeMaintenance<W extends MaintenanceWindow>(list: readonly W[], now: number): W | null {
  let best: W | null = null;
  for (const w of list) {
    if (!isMaintenanceActive(w, now)) continue;
    if (!best || w.endsAt > best.endsAt || (w.endsAt === best.endsAt && w.startsAt < best.startsAt)) best = w;
  }
  return best;
}

/** The next window that has not started yet, or null. */
export function nextMaintenance<W extends MaintenanceWindow>(list: readonly W[], now: number): W | null {
  let best: W | null = null;
  for (const w of list) {
    if (w.startsAt <= now || w.endsAt <= w.startsAt) continue;
    if (!best || w.startsAt < best.startsAt) best = w;
  }
  return best;
}

/** Per site, the active window, for any number of sites' windows in one list. */
export function activeMaintenanceBySite<W extends MaintenanceWindow>(
  list: readonly W[],
  now: number,
): Map<string, W> {
  const out = new Map<string, W>();
  for (const w of list) {
    if (!isMaintenanceActive(w, now)) continue;
    const prev = out.get(w.siteId);
    if (!prev || w.endsAt > prev.endsAt) out.set(w.siteId, w);
  }
  return out;
}

/**
 * Whether a moment fell inside maintenance: late data is judged at the time it
 * happened, so an overheat during yesterday's maintenance stays muted today.
 */
export function wasInMaintenance(list: readonly MaintenanceWindow[], siteId: string, at: number): boolean {
  return list.some((w) => w.siteId === siteId && isMaintenanceActive(w, at));
}

export const MAINTENANCE_MAX_MS = 30 * 24 * 3_600_000;
