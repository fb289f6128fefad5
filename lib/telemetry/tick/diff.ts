// Which stored rows a tick must rewrite. Pure: the rows as the store holds them
// and the tick's new rows in; the rows to upsert and the keys to delete out.
//
// Why: rewriting every host's row each tick costs the database a write per host
// even when the host was silent and nothing about it moved. A row whose readings
// are the same as stored is left alone; only the window it was computed over and
// the tick that wrote it would differ, and those are the same for every row of a
// tick (the source's status row holds the current ones).
import { type NodeLatest, nodeKey } from "./types";

/** Bookkeeping of the tick that wrote a row, not a reading: it never makes a row "changed" by itself. */
export const TICK_BOOKKEEPING = ["windowFrom", "windowTo", "tickAt"] as const;

type Reading = Exclude<keyof NodeLatest, (typeof TICK_BOOKKEEPING)[number]>;

// A Record so that a field added to NodeLatest does not compile until it is listed here.
const READING_FIELDS: Record<Reading, true> = {
  sourceId: true,
  siteTag: true,
  clusterTag: true,
  host: true,
  siteId: true,
  clusterId: true,
  tempC: true,
  tempAt: true,
  windowMaxC: true,
  windowMaxAt: true,
  lastPointAt: true,
  pingAt: true,
  lossPct: true,
  rttMs: true,
  keyValue: true,
  keyAt: true,
  skewMs: true,
  skewSeenAt: true,
  probeNewestAt: true,
  probeAt: true,
};
const READINGS = Object.keys(READING_FIELDS) as Reading[];

/** Same readings, whatever tick wrote them. */
export function isSameReading(a: NodeLatest, b: NodeLatest): boolean {
  for (const f of READINGS) if (a[f] !== b[f]) return false;
  return true;
}

export interface RowChanges {
  /** new rows and rows whose readings moved */
  upserts: NodeLatest[];
  /** keys (nodeKey) of stored rows the tick no longer keeps */
  removed: string[];
}

export function rowChanges(stored: ReadonlyMap<string, NodeLatest>, next: readonly NodeLatest[]): RowChanges {
  const upserts: NodeLatest[] = [];
  const kept = new Set<string>();
  for (const n of next) {
    const key = nodeKey(n);
    kept.add(key);
    const old = stored.get(key);
    if (!old || !isSameReading(old, n)) upserts.push(n);
  }
  const removed: string[] = [];
  for (const key of stored.keys()) if (!kept.has(key)) removed.push(key);
  return { upserts, removed };
}
