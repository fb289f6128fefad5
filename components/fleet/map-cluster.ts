// Marker aggregation for the fleet map: sites whose markers would overlap on
// screen become one cluster with its count by state, so 10,000 sites are a few
// hundred SVG groups, not 10,000 links. Pure: points and a view in, clusters out.
// Screen-space grid clustering (O(n)): a cell of CELL_PX holds one marker.

import { SITE_STATUSES, type SiteStatus, STATUS_SEVERITY } from "@/lib/health/model";
import { type MapView, project } from "./map-projection";

/** Markers closer than about this (px) merge. */
export const CELL_PX = 30;

export interface ClusterablePoint {
  id: string;
  latitude: number;
  longitude: number;
  status: SiteStatus;
}

export interface MapCluster<P extends ClusterablePoint = ClusterablePoint> {
  key: string;
  /** where to draw it (mean of its members on screen) */
  x: number;
  y: number;
  count: number;
  /** how many members per state, worst first, zero counts left out */
  byStatus: { status: SiteStatus; count: number }[];
  worst: SiteStatus;
  /** the members' extent, to zoom to */
  bounds: { west: number; east: number; south: number; north: number };
  /** the one member of a single-site "cluster" */
  single: P | null;
}

function isOnScreen(view: MapView, x: number, y: number, margin: number): boolean {
  return x >= -margin && y >= -margin && x <= view.width + margin && y <= view.height + margin;
}

/** Clusters of the points visible in `view` (plus a margin), worst on top (last). */
export function clusterPoints<P extends ClusterablePoint>(
  points: readonly P[],
  view: MapView,
  cellPx = CELL_PX,
): MapCluster<P>[] {
  type Acc = {
    sx: number;
    sy: number;
    n: number;
    counts: Map<SiteStatus, number>;
    west: number;
    east: number;
    south: number;
    north: number;
    first: P;
  };
  const cells = new Map<string, Acc>();
  for (const p of points) {
    const [x, y] = project(view, p.longitude, p.latitude);
    if (!isOnScreen(view, x, y, cellPx)) continue;
    const key = `${Math.floor(x / cellPx)}:${Math.floor(y / cellPx)}`;
    let c = cells.get(key);
    if (!c) {
      c = {
        sx: 0,
        sy: 0,
        n: 0,
        counts: new Map(),
        west: p.longitude,
        east: p.longitude,
        south: p.latitude,
        north: p.latitude,
        first: p,
      };
      cells.set(key, c);
    }
    c.sx += x;
    c.sy += y;
    c.n++;
    c.counts.set(p.status, (c.counts.get(p.status) ?? 0) + 1);
    c.west = Math.min(c.west, p.longitude);
    c.east = Math.max(c.east, p.longitude);
    c.south = Math.min(c.south, p.latitude);
    c.north = Math.max(c.north, p.latitude);
  }
  const out: MapCluster<P>[] = [];
  for (const [key, c] of cells) {
    const byStatus = SITE_STATUSES.filter((s) => (c.counts.get(s) ?? 0) > 0).map((s) => ({
      status: s,
      count: c.counts.get(s) ?? 0,
    }));
    out.push({
      key,
      x: c.sx / c.n,
      y: c.sy / c.n,
      count: c.n,
      byStatus,
      worst: byStatus[0]?.status ?? "unknown",
      bounds: { west: c.west, east: c.east, south: c.south, north: c.north },
      single: c.n === 1 ? c.first : null,
    });
  }
  // SVG paints in document order: worst last, so it is on top.
  out.sort((a, b) => STATUS_SEVERITY[a.worst] - STATUS_SEVERITY[b.worst] || a.count - b.count);
  return out;
}

/** "12 sites: 3 unreachable, 9 healthy" */
export function clusterLabel(c: MapCluster, labels: Record<SiteStatus, string>): string {
  const parts = c.byStatus.map((s) => `${s.count} ${labels[s.status].toLowerCase()}`);
  return `${c.count} sites: ${parts.join(", ")}`;
}
