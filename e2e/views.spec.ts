import { expect, test } from "./fixtures";
import { SiteViews } from "./pages/site-views";

// Views for many nodes (issue 13) on the 20-turbine farm of global-setup's views block:
// the health grid (a tile per cluster), the temperature heatmap (a row per node) and the
// connectivity timeline (a band per node), each driven by a simulator fault.
//
// Timing at the e2e settings (10 s poll interval, 5 s telemetry samples):
//  - tile state: site health polls every 5 s; the roll-up reads InfluxDB through a 5 s cache
//  - heatmap: the 1 h chart polls every 10 s, InfluxDB answers are cached 5 s
//  - fresh ≤ 2 × 10 + 20 = 40 s, unreachable after max(5 × 10, 40) = 50 s without an answer
const SAMPLE_MS = 5_000;
const TILE_LAG_MS = SAMPLE_MS + 1_000 + 5_000 + 5_000;
const HEATMAP_LAG_MS = SAMPLE_MS + 1_000 + 5_000 + 10_000;
const FRESH_LIMIT_MS = 40_000;
const UNREACHABLE_AFTER_MS = 50_000;
/** Scheduling slack on a loaded two-core machine. */
const SLACK_MS = 10_000;
const OVERHEAT_C = 45;

test.describe("views for a 20-turbine farm", () => {
  test("the grid shows a tile per cluster; an overheating turbine turns its tile and heatmap row hot", async ({
    adminPage: page,
    e2e,
    faults,
  }) => {
    test.setTimeout(120_000);
    const farm = e2e.views.gridFarm;
    const views = new SiteViews(page);
    await page.goto(`/sites/${farm.slug}`);
    await expect(views.tiles).toHaveCount(farm.clusters.length);
    expect(farm.clusters.length).toBe(21);
    await expect(views.grid.locator("[data-status=healthy]")).toHaveCount(21, { timeout: 30_000 });
    // Every tile names its cluster and shows a temperature; the turbines also their power.
    await expect(views.tile("turbine-05").getByTestId("tile-temp")).toHaveText(/\d+\.\d °C/);
    await expect(views.tile("turbine-05").getByTestId("tile-metric")).toHaveText(/\d[\d,]* kW/);

    // The heatmap has a row per node (3 control-center servers + 20 turbines) and is drawn.
    await expect(views.heatmapRows).toHaveCount(farm.nodes.length);
    await expect(views.heatmapCanvas).toHaveAttribute("data-drawn", String(farm.nodes.length));
    const node = farm.overheatNode;
    await expect(views.heatmapRow(node)).toHaveAttribute("data-hot", "false");
    // Boards that run hot on their own stay as they are: the test looks at what the fault adds.
    const hotTilesBefore = await views.grid.locator("[data-hot=true]").count();
    const hotRowsBefore = await views.heatmap.locator("[data-testid=heatmap-row][data-hot=true]").count();

    const addedAt = Date.now();
    await faults.add({
      type: "overheating",
      site: farm.slug,
      cluster: farm.overheatCluster,
      node,
      params: { celsius: OVERHEAT_C },
    });
    await expect(views.tile(farm.overheatCluster)).toHaveAttribute("data-hot", "true", {
      timeout: TILE_LAG_MS + SLACK_MS,
    });
    const tileAfterMs = Date.now() - addedAt;
    await expect(views.tile(farm.overheatCluster)).toHaveAttribute("data-status", "degraded");
    await expect(views.tile(farm.overheatCluster).getByTestId("tile-temp")).toContainText("(hot)");
    await expect(views.heatmapRow(node)).toHaveAttribute("data-hot", "true", {
      timeout: HEATMAP_LAG_MS + SLACK_MS,
    });
    const rowAfterMs = Date.now() - addedAt;
    // Only that turbine: no other tile or row turned hot with it.
    expect(await views.grid.locator("[data-hot=true]").count()).toBeLessThanOrEqual(hotTilesBefore + 1);
    expect(
      await views.heatmap.locator("[data-testid=heatmap-row][data-hot=true]").count(),
    ).toBeLessThanOrEqual(hotRowsBefore + 1);

    // Click its row: its line is drawn over the farm's band, in the summary too.
    await views.heatmapRow(node).getByRole("button").click();
    await expect(views.heatmapRow(node).getByRole("button")).toHaveAttribute("aria-pressed", "true");
    await expect(views.spreadChart.locator("path.recharts-line-curve")).toHaveCount(2);
    await expect(views.spreadChart.getByRole("table", { name: "Summary per series" })).toContainText(node);

    // A tile opens its cluster.
    await views.tile(farm.overheatCluster).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(farm.overheatCluster);
    const timing = `tile hot after ${Math.round(tileAfterMs / 1000)} s, heatmap row after ${Math.round(rowAfterMs / 1000)} s`;
    test.info().annotations.push({ type: "timing", description: timing });
    console.log(timing);
  });

  test("a blackholed turbine's tile turns stale, then unreachable, with its last-seen age", async ({
    adminPage: page,
    e2e,
    faults,
  }) => {
    test.setTimeout(UNREACHABLE_AFTER_MS + 90_000);
    const farm = e2e.views.gridFarm;
    const cluster = farm.blackholeCluster;
    const views = new SiteViews(page);
    await page.goto(`/sites/${farm.slug}`);
    await expect(views.tile(cluster)).toHaveAttribute("data-status", "healthy", { timeout: 30_000 });
    await expect(views.tile(cluster).getByTestId("tile-last-seen")).toHaveCount(0);
    await faults.add({ type: "blackhole", site: farm.slug, cluster });
    const addedAt = Date.now();

    await expect(views.tile(cluster)).toHaveAttribute("data-status", "stale", {
      timeout: FRESH_LIMIT_MS + 15_000 + SLACK_MS,
    });
    await expect(views.tile(cluster).getByTestId("tile-last-seen")).toHaveText(/seen \d+ (s|m) ago/);
    await expect(views.tile(cluster)).toHaveAttribute("data-status", "unreachable", {
      timeout: UNREACHABLE_AFTER_MS - (Date.now() - addedAt) + 15_000 + SLACK_MS,
    });
    // Its age is there, and it is about how long ago the blackhole began (not "now", not hours).
    const lastSeen = views.tile(cluster).getByTestId("tile-last-seen");
    await expect(lastSeen).toHaveText(/seen \d+ (s|m) ago/);
    const [, n, unit] = (await lastSeen.textContent())?.match(/seen (\d+) (s|m) ago/) ?? [];
    const ageS = Number(n) * (unit === "m" ? 60 : 1);
    expect(ageS).toBeGreaterThanOrEqual(UNREACHABLE_AFTER_MS / 1000 - 15);
    expect(ageS).toBeLessThanOrEqual((Date.now() - addedAt) / 1000 + 30);
    // The rest of the farm is untouched.
    await expect(views.grid.locator("[data-status=unreachable]")).toHaveCount(1);
  });

  test("the connectivity timeline shows an uplink-down period as a down band per node", async ({
    adminPage: page,
    e2e,
    faults,
  }) => {
    test.setTimeout(150_000);
    const farm = e2e.views.gridFarm;
    const views = new SiteViews(page);
    await page.goto(`/sites/${farm.slug}`);
    await views.connectivity.scrollIntoViewIfNeeded();
    await expect(views.timelineRows).toHaveCount(farm.nodes.length, { timeout: 30_000 });
    const before = await views.timeline.locator("rect[data-state=down]").count();

    // Dark until Outpost itself calls the turbines stale (> 40 s): several 10 s buckets of every probe lost.
    const id = await faults.add({ type: "uplink-down", site: farm.slug });
    await expect(views.tile(farm.clusters[1] ?? "")).toHaveAttribute("data-status", "stale", {
      timeout: FRESH_LIMIT_MS + 15_000 + SLACK_MS,
    });
    await faults.remove(id);
    // The site flushes what it buffered; the next chart poll draws the period as one band per node.
    const turbine = farm.nodes.find((n) => n.startsWith("t")) ?? "";
    await expect(views.timelineRow(turbine)).not.toHaveAttribute("data-down-runs", "0", { timeout: 40_000 });
    await expect
      .poll(() => views.timeline.locator("rect[data-state=down]").count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(before + farm.nodes.length);
    // The same as text: the down period, with its length, per node.
    await views.timeline.getByText("Periods per node").click();
    await expect(
      views.timeline.getByRole("row").filter({ has: page.getByRole("rowheader", { name: turbine }) }),
    ).toContainText(/\d+ s|\d+ min/);
  });

  test("a link with ?at= (from an alert) opens the charts on the hour around that moment", async ({
    adminPage: page,
    e2e,
  }) => {
    const farm = e2e.views.gridFarm;
    const at = Date.now() - 20 * 60_000;
    const request = page.waitForRequest(
      (r) => r.url().includes("/api/telemetry/site/") && r.url().includes("view=temperature"),
    );
    await page.goto(`/sites/${farm.slug}?at=${at}`);
    const q = new URL((await request).url()).searchParams;
    expect(q.get("range")).toBe("custom");
    expect(Number(q.get("from"))).toBe(at - 3_600_000);
    expect(Number(q.get("to"))).toBeGreaterThanOrEqual(at + 20 * 60_000 - 5_000);
    await expect(
      page.getByRole("group", { name: "Time range" }).getByRole("button", { name: "Custom" }),
    ).toHaveAttribute("aria-pressed", "true");
    await expect(new SiteViews(page).heatmapCanvas).toHaveAttribute("data-drawn", String(farm.nodes.length));
  });
});
