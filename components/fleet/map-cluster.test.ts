import { describe, expect, it } from "vitest";
import type { SiteStatus } from "@/lib/health/model";
import { CELL_PX, clusterLabel, clusterPoints } from "./map-cluster";
import { fitView, panView, project, zoomView } from "./map-projection";

const W = 800;
const H = 620;

function point(id: string, latitude: number, longitude: number, status: SiteStatus = "healthy") {
  return { id, latitude, longitude, status };
}

/** A deterministic spread of n sites over Europe. */
function europe(n: number) {
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const statuses: SiteStatus[] = ["healthy", "healthy", "healthy", "degraded", "unreachable", "stale"];
  return Array.from({ length: n }, (_, i) =>
    point(
      `s${i}`,
      36 + rnd() * 22,
      -9 + rnd() * 33,
      statuses[Math.floor(rnd() * statuses.length)] ?? "healthy",
    ),
  );
}

describe("map clustering", () => {
  it("keeps far-apart sites as single markers", () => {
    const pts = [point("berlin", 52.52, 13.4), point("madrid", 40.4, -3.7), point("london", 51.5, -0.13)];
    const view = fitView(pts, W, H);
    const clusters = clusterPoints(pts, view);
    expect(clusters).toHaveLength(3);
    expect(clusters.every((c) => c.count === 1 && c.single !== null)).toBe(true);
  });

  it("merges overlapping markers with their counts by state, worst first", () => {
    const pts = [
      point("a", 48.137, 11.575, "healthy"),
      point("b", 48.14, 11.58, "unreachable"),
      point("c", 48.13, 11.57, "healthy"),
      point("far", 40.4, -3.7),
    ];
    const clusters = clusterPoints(pts, fitView(pts, W, H));
    const munich = clusters.find((c) => c.count === 3);
    expect(munich).toMatchObject({
      worst: "unreachable",
      single: null,
      byStatus: [
        { status: "unreachable", count: 1 },
        { status: "healthy", count: 2 },
      ],
    });
    expect(munich?.bounds).toEqual({ west: 11.57, east: 11.58, south: 48.13, north: 48.14 });
    expect(
      clusterLabel(
        munich as NonNullable<typeof munich>,
        { unreachable: "Unreachable", healthy: "Healthy" } as never,
      ),
    ).toBe("3 sites: 1 unreachable, 2 healthy");
    // Worst painted last (on top).
    expect(clusters.at(-1)?.worst).toBe("unreachable");
  });

  it("10,000 sites become at most one cluster per cell, and every site is counted once", () => {
    const pts = europe(10_000);
    const view = fitView(pts, W, H);
    const clusters = clusterPoints(pts, view);
    expect(clusters.length).toBeLessThanOrEqual(Math.ceil(W / CELL_PX + 2) * Math.ceil(H / CELL_PX + 2));
    expect(clusters.length).toBeLessThan(400);
    expect(clusters.reduce((n, c) => n + c.count, 0)).toBe(10_000);
    for (const c of clusters) expect(c.byStatus.reduce((n, s) => n + s.count, 0)).toBe(c.count);
  });

  it("zooming in splits clusters; only sites on screen are clustered", () => {
    const pts = europe(2_000);
    const view = fitView(pts, W, H);
    const before = clusterPoints(pts, view);
    const zoomed = zoomView(view, 8, W / 2, H / 2);
    const after = clusterPoints(pts, zoomed);
    const visible = after.reduce((n, c) => n + c.count, 0);
    expect(visible).toBeLessThan(2_000);
    expect(after.filter((c) => c.count === 1).length).toBeGreaterThan(
      before.filter((c) => c.count === 1).length,
    );
  });
});

describe("zoom and pan", () => {
  const view = fitView([point("a", 40, -5), point("b", 55, 15)], W, H);

  it("keeps the anchor under the cursor", () => {
    const [ax, ay] = [300, 200];
    const lonLat = { lon: view.west + ax / (view.k * view.scale), lat: view.north - ay / view.scale };
    const zoomed = zoomView(view, 2, ax, ay);
    const [x, y] = project(zoomed, lonLat.lon, lonLat.lat);
    expect(x).toBeCloseTo(ax, 6);
    expect(y).toBeCloseTo(ay, 6);
    expect(zoomed.scale).toBeCloseTo(view.scale * 2, 6);
  });

  it("never zooms out past the whole world", () => {
    const out = zoomView(view, 1e-6, W / 2, H / 2);
    expect((out.east - out.west) * out.k * out.scale).toBeCloseTo(W, 6);
    expect(out.east - out.west).toBeCloseTo(360, 6);
  });

  it("pans by screen pixels", () => {
    const moved = panView(view, 100, -50);
    const [x0, y0] = project(view, 10, 50);
    const [x1, y1] = project(moved, 10, 50);
    expect(x1 - x0).toBeCloseTo(100, 6);
    expect(y1 - y0).toBeCloseTo(-50, 6);
  });

  it("fits a tight group closely when asked to (zoom to a cluster)", () => {
    const close = [point("a", 52.5, 13.3), point("b", 52.52, 13.45)];
    const tight = fitView(close, W, H, { lon: 0.05, lat: 0.05 });
    expect(tight.east - tight.west).toBeLessThan(1);
    expect(fitView(close, W, H).east - fitView(close, W, H).west).toBeGreaterThan(20);
  });
});
