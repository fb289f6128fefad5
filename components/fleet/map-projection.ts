// An equirectangular projection fitted to the fleet: no tiles, no network, a
// few lines of arithmetic. x = (lon − west) · cos(φ0), y = north − lat, with
// φ0 the view's middle latitude so Europe does not look squashed.

export interface LonLat {
  longitude: number;
  latitude: number;
}

export interface MapView {
  west: number;
  east: number;
  south: number;
  north: number;
  /** cos of the standard parallel */
  k: number;
  width: number;
  height: number;
  /** pixels per projected degree */
  scale: number;
}

const MIN_LON_SPAN = 24;
const MIN_LAT_SPAN = 12;
const PAD = 0.12;

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** The smallest view (with a margin) that shows every point at the given aspect ratio. */
export function fitView(
  points: readonly LonLat[],
  width: number,
  height: number,
  /** smallest spans in degrees (default: a country's worth, so a lone site keeps its surroundings) */
  minSpan: { lon: number; lat: number } = { lon: MIN_LON_SPAN, lat: MIN_LAT_SPAN },
): MapView {
  let west = 180;
  let east = -180;
  let south = 90;
  let north = -90;
  for (const p of points) {
    west = Math.min(west, p.longitude);
    east = Math.max(east, p.longitude);
    south = Math.min(south, p.latitude);
    north = Math.max(north, p.latitude);
  }
  if (points.length === 0) {
    west = -170;
    east = 190;
    south = -60;
    north = 80;
  }
  let lonSpan = Math.max(east - west, minSpan.lon);
  let latSpan = Math.max(north - south, minSpan.lat);
  let midLon = (west + east) / 2;
  let midLat = (south + north) / 2;
  lonSpan *= 1 + 2 * PAD;
  latSpan *= 1 + 2 * PAD;
  latSpan = Math.min(latSpan, 170);
  midLat = clamp(midLat, -85 + latSpan / 2, 85 - latSpan / 2);
  const k = Math.cos((clamp(midLat, -60, 60) * Math.PI) / 180);
  // Grow the shorter side to the box's aspect ratio.
  const aspect = width / height;
  if ((lonSpan * k) / latSpan < aspect) lonSpan = (latSpan * aspect) / k;
  else latSpan = (lonSpan * k) / aspect;
  if (lonSpan > 360) {
    lonSpan = 360;
    midLon = 0;
  }
  const scale = width / (lonSpan * k);
  return {
    west: midLon - lonSpan / 2,
    east: midLon + lonSpan / 2,
    south: midLat - latSpan / 2,
    north: midLat + latSpan / 2,
    k,
    width,
    height,
    scale,
  };
}

/** Closest zoom: about a town (pixels per projected degree). */
export const MAX_SCALE = 4_000;

/** Zoom by `factor` around the screen point (ax, ay), which stays where it is. */
export function zoomView(view: MapView, factor: number, ax: number, ay: number): MapView {
  const minScale = view.width / (360 * view.k);
  const scale = clamp(view.scale * factor, minScale, MAX_SCALE);
  const lon = view.west + ax / (view.k * view.scale);
  const lat = view.north - ay / view.scale;
  const west = lon - ax / (view.k * scale);
  const north = lat + ay / scale;
  return {
    ...view,
    scale,
    west,
    east: west + view.width / (view.k * scale),
    north,
    south: north - view.height / scale,
  };
}

/** Move the view by a drag of (dx, dy) screen pixels. */
export function panView(view: MapView, dx: number, dy: number): MapView {
  const dLon = dx / (view.k * view.scale);
  const dLat = dy / view.scale;
  return {
    ...view,
    west: view.west - dLon,
    east: view.east - dLon,
    north: view.north + dLat,
    south: view.south + dLat,
  };
}

export function project(view: MapView, longitude: number, latitude: number): [number, number] {
  return [(longitude - view.west) * view.k * view.scale, (view.north - latitude) * view.scale];
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * SVG path data for polygon rings ([lon, lat] positions). A ring that jumps
 * across the antimeridian is split there instead of drawing a line around the world.
 */
export function ringsPath(view: MapView, rings: readonly (readonly (readonly number[])[])[]): string {
  const parts: string[] = [];
  for (const ring of rings) {
    let prevLon: number | null = null;
    let prevX = Number.NaN;
    let prevY = Number.NaN;
    for (const pos of ring) {
      const lon = pos[0] ?? 0;
      const lat = pos[1] ?? 0;
      const [x, y] = project(view, lon, lat);
      const isJump = prevLon !== null && Math.abs(lon - prevLon) > 180;
      const rx = r1(x);
      const ry = r1(y);
      if (prevLon === null || isJump) parts.push(`M${rx} ${ry}`);
      else if (rx !== prevX || ry !== prevY) parts.push(`L${rx} ${ry}`);
      prevLon = lon;
      prevX = rx;
      prevY = ry;
    }
    parts.push("Z");
  }
  return parts.join("");
}

export interface GraticuleLine {
  key: string;
  d: string;
  label: string;
  /** where the label goes */
  x: number;
  y: number;
  axis: "lon" | "lat";
}

/** Meridians and parallels every 5°, 10° or 20° depending on the view's size. */
export function graticule(view: MapView): GraticuleLine[] {
  const span = Math.max(view.east - view.west, view.north - view.south);
  const step = span > 150 ? 30 : span > 60 ? 10 : 5;
  const lines: GraticuleLine[] = [];
  for (let lon = Math.ceil(view.west / step) * step; lon <= view.east; lon += step) {
    const [x] = project(view, lon, 0);
    const wrapped = ((((lon + 180) % 360) + 360) % 360) - 180;
    lines.push({
      key: `lon${lon}`,
      d: `M${r1(x)} 0V${view.height}`,
      label: `${Math.abs(wrapped)}°${wrapped < 0 ? "W" : wrapped > 0 ? "E" : ""}`,
      x: r1(x) + 4,
      y: view.height - 6,
      axis: "lon",
    });
  }
  for (let lat = Math.ceil(view.south / step) * step; lat <= view.north; lat += step) {
    const [, y] = project(view, 0, lat);
    lines.push({
      key: `lat${lat}`,
      d: `M0 ${r1(y)}H${view.width}`,
      label: `${Math.abs(lat)}°${lat < 0 ? "S" : lat > 0 ? "N" : ""}`,
      x: 6,
      y: r1(y) - 5,
      axis: "lat",
    });
  }
  return lines;
}
