import { createServer } from "node:net";
import { DEFAULT_CHART_WIDTH } from "../lib/queries/telemetry";
import { queryInflux } from "../lib/testing/influxd";
import { expect, test } from "./fixtures";
import { ControlCenterPage } from "./pages/control-center-page";
import { SitePage } from "./pages/site-page";
import { HottestNodesPanel, SiteTelemetryPanel } from "./pages/telemetry";
import type { E2EState } from "./state";

// Telemetry end to end (issue #5): the simulator's telemetry writer feeds a real influxd
// (30 min of history, then a sample per node every 5 s, see global-setup), registered as the
// default data source; Outpost reads it through InfluxQL for the site charts, the hottest list
// and the health model's telemetry axis.
//
// From a sample to the screen: the writer's 1 s tick, Outpost's 5 s InfluxDB query cache, the
// 2 s fleet roll-up cache, then the control center's 5 s poll (the hottest list polls every 15 s).
const SAMPLE_TO_HEALTH_MS = 1_000 + 5_000 + 2_000 + 5_000;
const SAMPLE_TO_HOTTEST_MS = 1_000 + 5_000 + 15_000;
/** Scheduling slack on a busy two-core box (a CI run may share it). */
const SLACK_MS = 15_000;
/**
 * Added to a board that runs at ~50–70 °C: 95+ °C, above the 80 °C default and above anything
 * another e2e board reaches on its own (~89 °C at worst), so it tops the hottest list.
 */
const OVERHEAT_C = 45;

/** How the hottest list marks a reading above its site's threshold: "▲ 95.1 °C hot". */
const HOT_MARK = /°C hot/;

type Fleet = E2EState["fleet"];

function celsiusIn(text: string | undefined): number {
  return Number((text ?? "").match(/-?\d+(\.\d+)?(?= °C)/)?.[0] ?? Number.NaN);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function siteOf(fleet: Fleet, slug: string) {
  const site = fleet.sites.find((s) => s.slug === slug);
  if (!site) throw new Error(`site ${slug} is not in the e2e fleet`);
  return site;
}

/** Node names in the order the charts list them (lib/telemetry/read sorts labels numerically). */
function nodesOf(site: Fleet["sites"][number]): string[] {
  return site.clusters.flatMap((c) => c.nodes).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
}

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

interface TemperatureBody {
  view: "temperature";
  range: string;
  intervalMs: number;
  pointCount: number;
  dataSource: { name: string } | null;
  unavailable: { reason: string; message: string } | null;
  matrix: { start: number; rows: { id: string; cells: (number | null)[] }[] };
  lines: { label: string; points: { t: number; mean: number | null }[] }[];
  lineSelection: "all" | "selected";
}

test.describe("telemetry from InfluxDB", () => {
  test("(a) a farm's heatmap and connectivity timeline draw every node from InfluxDB; a node's row draws its line; a range change refetches", async ({
    adminPage: page,
    e2e,
  }) => {
    test.setTimeout(90_000);
    const farm = siteOf(e2e.fleet, e2e.telemetry.windFarm);
    const nodes = nodesOf(farm);
    expect(nodes.length).toBeGreaterThan(6);

    // The points are really in InfluxDB, tagged the way Telegraf would tag them.
    const tagged = await queryInflux(
      e2e.telemetry.influxUrl,
      `SHOW TAG VALUES FROM "temp" WITH KEY = "host" WHERE "site" = '${farm.slug}'`,
      { db: e2e.telemetry.database },
    );
    const hosts = (tagged.results[0]?.series?.[0]?.values ?? []).map((v) => String(v[1]));
    expect(hosts.sort((a, b) => a.localeCompare(b, "en", { numeric: true }))).toEqual(nodes);

    // Only what is on screen: the first view is the temperature heatmap, with no lines yet; even on a
    // first visit (no remembered width) it comes with the page, so the browser does not ask for it.
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes(`/api/telemetry/site/${farm.slug}?`) && r.url().includes("view=temperature"))
        asked.push(r.url());
    });
    await new SitePage(page).goto(farm.slug);
    const first = await page.request.get(
      `/api/telemetry/site/${farm.slug}?view=temperature&range=1h&width=${DEFAULT_CHART_WIDTH}`,
    );
    const body = (await first.json()) as TemperatureBody;
    expect(body.unavailable).toBeNull();
    expect(body.range).toBe("1h");
    expect(body.dataSource?.name).toBe(e2e.telemetry.dataSource.body.name);
    expect(body.matrix.rows.map((r) => r.id)).toEqual(nodes);
    expect(body.lineSelection).toBe("selected");
    expect(body.lines).toEqual([]);

    const tel = new SiteTelemetryPanel(page);
    await expect(tel.rangeButton("1 h")).toHaveAttribute("aria-pressed", "true");
    // One heatmap row per node, in order, drawn on the canvas; ≥ 30 min of history at 10 s buckets.
    await expect(tel.heatmap.rows).toHaveCount(nodes.length);
    expect(await tel.heatmap.rowNames()).toEqual(nodes);
    await expect(tel.heatmap.canvas).toHaveAttribute("data-drawn", String(nodes.length));
    // Drawn from the streamed view (the page's plot has the default width at this window size).
    expect(asked).toEqual([]);
    for (const row of body.matrix.rows)
      expect(row.cells.filter((c) => c !== null).length).toBeGreaterThan(100);
    await expect(tel.section).toContainText(
      new RegExp(`[\\d,]+ values from ${e2e.telemetry.dataSource.body.name} in \\d+ ms`),
    );
    // The same numbers as text, consistent with the cells the API sent.
    await tel.heatmap.figure.getByText("Numbers per node").click();
    await expect(tel.heatmap.table.getByRole("rowheader")).toHaveText(nodes);
    const firstNode = nodes[0] as string;
    const apiLatest = body.matrix.rows[0]?.cells.filter((c) => c !== null).at(-1) ?? Number.NaN;
    const latestText = await tel.heatmap.table
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name: firstNode, exact: true }) })
      .getByRole("cell")
      .first()
      .textContent();
    // The table may already show a newer poll: a bucket later, within a few °C.
    expect(Math.abs(celsiusIn(latestText ?? "") - apiLatest)).toBeLessThan(5);

    // The farm's spread is drawn; selecting a node adds its line (and asks for that node only).
    await expect(tel.spread.curves).toHaveCount(1);
    const withLine = page.waitForResponse(
      (r) =>
        r.url().includes("/api/telemetry/site/") && new URL(r.url()).searchParams.get("hosts") === firstNode,
    );
    await tel.heatmap.rowButton(firstNode).click();
    expect(((await (await withLine).json()) as TemperatureBody).lines.map((l) => l.label)).toEqual([
      firstNode,
    ]);
    await expect(tel.spread.curves).toHaveCount(2);
    await expect.poll(async () => Math.min(...(await tel.spread.segmentsPerCurve()))).toBeGreaterThan(100);
    const s = await tel.spread.stats(firstNode);
    expect(s.lowest, firstNode).toBeLessThanOrEqual(s.latest);
    expect(s.latest, firstNode).toBeLessThanOrEqual(s.highest);
    expect(s.lowest, `${firstNode} reads like a board sensor`).toBeGreaterThan(0);
    expect(s.highest, `${firstNode} reads like a board sensor`).toBeLessThan(125);

    // Connectivity: a band per node; RTT lines on demand for the node picked.
    // The panel loads when it comes on screen: scroll to the panel (the timeline exists only after).
    await tel.section.getByTestId("connectivity-panel").scrollIntoViewIfNeeded();
    await expect(tel.timelineRows).toHaveCount(nodes.length);
    await expect(tel.timeline.locator("rect[data-state]").first()).toBeVisible();
    await tel.showRtt.click();
    await tel.timelineRowButton(firstNode).click();
    await expect(tel.rtt.curves).toHaveCount(1);
    await expect.poll(async () => Math.min(...(await tel.rtt.segmentsPerCurve()))).toBeGreaterThan(10);

    // 15 min: a refetch; the history fills the whole window.
    const quarter = await tel.chooseRange("15 min", "15m");
    expect(quarter.pointCount).toBeGreaterThan(0);
    await expect(tel.heatmap.rows).toHaveCount(nodes.length);
    await expect(tel.spread.curves).toHaveCount(2);
    await expect.poll(() => tel.spread.horizontalCoverage()).toBeGreaterThan(0.8);

    // 6 h: another refetch; still every node, but ~30–40 min of data covers only the right end.
    const six = await tel.chooseRange("6 h", "6h");
    expect(six.pointCount).toBeGreaterThan(0);
    await expect(tel.heatmap.rows).toHaveCount(nodes.length);
    await expect.poll(async () => Math.min(...(await tel.spread.segmentsPerCurve()))).toBeGreaterThan(30);
    await expect.poll(() => tel.spread.horizontalCoverage()).toBeLessThan(0.25);
    expect(await tel.spread.horizontalCoverage()).toBeGreaterThan(0.03);
  });

  test("(a2) a site page opened again gets its first chart with the page, in the range its address names, and keeps it live", async ({
    adminPage: page,
    e2e,
  }) => {
    const farm = siteOf(e2e.fleet, e2e.telemetry.windFarm);
    const nodes = nodesOf(farm);
    const tel = new SiteTelemetryPanel(page);
    // First visit: the browser measures the plot and asks itself (the width is remembered).
    await new SitePage(page).goto(farm.slug);
    await expect(tel.heatmap.canvas).toHaveAttribute("data-drawn", String(nodes.length));
    await tel.chooseRange("15 min", "15m");
    await expect(page).toHaveURL(/[?&]range=15m(&|$)/);

    // Opened again (a reload, a copied link): the server started the view with the page.
    const asked: string[] = [];
    page.on("request", (r) => {
      if (
        r.url().includes("/api/telemetry/site/") &&
        new URL(r.url()).searchParams.get("view") === "temperature"
      )
        asked.push(r.url());
    });
    await page.reload();
    await expect(tel.rangeButton("15 min")).toHaveAttribute("aria-pressed", "true");
    await expect(tel.heatmap.rows).toHaveCount(nodes.length);
    await expect(tel.heatmap.canvas).toHaveAttribute("data-drawn", String(nodes.length));
    expect(asked, "the first temperature view came with the page").toEqual([]);
    // react-query keeps it live while it is on screen (a panel off screen does not poll, by design):
    // after the reload the browser may be at the top of the page, so bring the chart into view first.
    // Then the next poll (10 s for 15 min) asks the API for the same range.
    await tel.heatmap.canvas.scrollIntoViewIfNeeded();
    await expect.poll(() => asked.length, { timeout: 10_000 + SLACK_MS }).toBeGreaterThan(0);
    expect(new URL(asked[0] ?? "http://x").searchParams.get("range")).toBe("15m");
  });

  test("(b) an overheating node degrades its store with the node and °C, tops the hottest list, and recovers", async ({
    faults,
    adminPage: page,
    e2e,
  }) => {
    test.setTimeout(240_000);
    const target = e2e.telemetry.overheat;
    const store = siteOf(e2e.fleet, target.site);
    const { cluster, node } = target;
    expect(store.clusters.find((c) => c.name === cluster)?.nodes).toContain(node);
    const cc = new ControlCenterPage(page);
    const hottest = new HottestNodesPanel(page);
    // Filtered to the store: other specs add sites, and the list shows the worst first.
    await cc.goto(`?q=${store.slug}`);
    // Healthy first (after the blackhole spec the collector may still be backing off from it).
    await expect(cc.row(store.slug)).toHaveAttribute("data-status", "healthy", { timeout: 60_000 });
    await expect(hottest.rows.first()).toBeVisible({ timeout: 30_000 });
    await expect(hottest.row(node, store.name).filter({ hasText: HOT_MARK })).toHaveCount(0);

    const faultId = await faults.add({
      type: "overheating",
      site: store.slug,
      cluster,
      node,
      params: { celsius: OVERHEAT_C },
    });
    const addedAt = Date.now();

    // Degraded at the next sample, with one sentence naming the node, its reading and the limit.
    await expect(cc.row(store.slug)).toHaveAttribute("data-status", "degraded", {
      timeout: e2e.telemetry.intervalMs + SAMPLE_TO_HEALTH_MS + SLACK_MS,
    });
    const degradedAfterMs = Date.now() - addedAt;
    await expect(cc.row(store.slug)).toContainText("Degraded");
    const sentence = new RegExp(
      `^${escapeRegExp(node)} at (\\d+\\.\\d) °C \\(warning above (\\d+\\.\\d) °C\\)$`,
    );
    await expect(cc.headline(store.slug)).toHaveText(sentence);
    const [, readingC, limitC] = ((await cc.headline(store.slug).textContent()) ?? "").match(sentence) ?? [];
    expect(Number(readingC)).toBeGreaterThan(Number(limitC));

    // The hottest list puts it first, marked hot, with its site (node names repeat across sites:
    // another store has a naturally warm nuc-02 too).
    const top = hottest.rows.first();
    await expect(hottest.row(node, store.name)).toContainText(HOT_MARK, {
      timeout: e2e.telemetry.intervalMs + SAMPLE_TO_HOTTEST_MS + SLACK_MS,
    });
    await expect(top.getByRole("rowheader")).toHaveText(node);
    await expect(top).toContainText(store.name);
    await expect(top).toContainText(/▲\s*\d+\.\d °C hot/);
    // Cells after the node: site, temperature (with "warning above N °C" under it), reading.
    const cells = await top.getByRole("cell").allTextContents();
    const shownC = celsiusIn(cells[1]);
    const warnAtC = celsiusIn(cells[1]?.match(/warning above (.*)$/)?.[1]);
    expect(warnAtC).toBe(Number(limitC));
    expect(shownC).toBeGreaterThan(warnAtC);

    // The site page says it too, as a telemetry reason, and the chart shows the rise.
    await cc.row(store.slug).getByRole("link").click();
    await expect(page.getByTestId("site-headline")).toContainText(`${node} at`);
    const reason = page.getByTestId("site-reasons").locator('li[data-code="telemetry-hot"]');
    await expect(reason).toContainText("Telemetry");
    await expect(reason).toContainText(new RegExp(`${escapeRegExp(node)} at \\d+\\.\\d °C`));
    const temp = new SiteTelemetryPanel(page).temperature;
    await expect
      .poll(async () => (await temp.stats(node)).highest, { timeout: 30_000 })
      .toBeGreaterThan(Number(limitC));

    // Removing the fault: the next sample is normal again and, being the latest reading, clears
    // "hot" (readings count for 3 min, but a newer one always replaces an older one).
    await faults.remove(faultId);
    const removedAt = Date.now();
    await expect(page.getByTestId("site-reasons").locator('li[data-code="telemetry-hot"]')).toHaveCount(0, {
      timeout: e2e.telemetry.intervalMs + SAMPLE_TO_HEALTH_MS + SLACK_MS,
    });
    await cc.goto(`?q=${store.slug}`);
    await expect(cc.row(store.slug)).toHaveAttribute("data-status", "healthy", { timeout: 30_000 });
    const healthyAfterMs = Date.now() - removedAt;
    await expect(cc.headline(store.slug)).not.toContainText("°C");
    // Off the list or listed cool again, without the hot mark.
    await expect
      .poll(
        async () => {
          const row = hottest.row(node, store.name);
          if ((await row.count()) === 0) return 0;
          return celsiusIn((await row.getByRole("cell").allTextContents())[1]);
        },
        { timeout: SAMPLE_TO_HOTTEST_MS + SLACK_MS },
      )
      .toBeLessThan(Number(limitC));
    await expect(hottest.row(node, store.name).filter({ hasText: HOT_MARK })).toHaveCount(0);
    const timing = `degraded ${Math.round(degradedAfterMs / 1000)} s after the fault, healthy ${Math.round(healthyAfterMs / 1000)} s after removing it`;
    test.info().annotations.push({ type: "timing", description: timing });
    console.log(`(b) ${timing}`);
  });

  // Last: it takes the data source away (and puts it back).
  test("(c) with InfluxDB unreachable the site page says telemetry unavailable and the rest still works", async ({
    adminPage: page,
    e2e,
  }) => {
    test.setTimeout(120_000);
    const farm = siteOf(e2e.fleet, e2e.telemetry.windFarm);
    const nodes = nodesOf(farm);
    const { id, body } = e2e.telemetry.dataSource;
    const put = async (url: string) => {
      const res = await page.request.put(`/api/data-sources/${id}`, {
        data: { ...body, url },
        headers: { origin: e2e.baseUrl, "content-type": "application/json" },
      });
      expect(res.status(), await res.text()).toBe(200);
    };

    await put(`http://127.0.0.1:${await closedPort()}`);
    try {
      const site = new SitePage(page);
      const tel = new SiteTelemetryPanel(page);
      await site.goto(farm.slug);
      await expect(tel.unavailable).toContainText("Telemetry unavailable (unreachable)", { timeout: 30_000 });
      await expect(tel.unavailable).toContainText("connection refused");
      await expect(tel.unavailable).toContainText(body.name);
      await expect(tel.heatmap.figure).toHaveCount(0);

      // Health from the Kubernetes API and the cluster list are untouched.
      await expect(page.getByTestId("site-health")).toBeVisible();
      await expect(page.getByTestId("site-headline")).not.toBeEmpty();
      for (const c of farm.clusters) await expect(site.clusterRow(c.name)).toBeVisible();
      // The farm's health grid still judges every cluster from its API.
      const firstCluster = farm.clusters[0]?.name ?? "";
      await expect(page.getByTestId(`tile-${firstCluster}`)).toHaveAttribute(
        "data-status",
        /^(healthy|degraded)$/,
      );
      await expect(page.getByTestId("health-grid").locator("[data-testid^=tile-][data-status]")).toHaveCount(
        farm.clusters.length,
      );

      // The control center still lists and judges the fleet; the hottest card says why it is empty.
      const cc = new ControlCenterPage(page);
      await cc.goto(`?q=${farm.slug}`);
      await expect(cc.row(farm.slug)).toHaveAttribute("data-status", /^(healthy|degraded)$/);
      await expect(cc.headline(farm.slug)).not.toBeEmpty();
      const hottest = new HottestNodesPanel(page);
      await expect(hottest.unavailable).toContainText("Telemetry unavailable (unreachable)", {
        timeout: SAMPLE_TO_HOTTEST_MS + SLACK_MS,
      });
      await expect(hottest.rows).toHaveCount(0);
      // Every simulated site is still judged from its API: reachable and fresh.
      const health = (await (await page.request.get("/api/fleet/health?limit=500")).json()) as {
        telemetry: { state: string; reason?: string };
        items: { slug: string; status: string; counts: { clusters: number; clustersFresh: number } }[];
      };
      expect(health.telemetry).toMatchObject({ state: "unavailable", reason: "unreachable" });
      for (const s of e2e.fleet.sites) {
        const item = health.items.find((i) => i.slug === s.slug);
        expect(item?.counts.clustersFresh, `${s.slug} fresh`).toBe(item?.counts.clusters);
      }
    } finally {
      await put(body.url);
    }

    // Back: the charts draw again without anyone restarting anything.
    const tel = new SiteTelemetryPanel(page);
    await new SitePage(page).goto(farm.slug);
    // Like an operator looking at it: charts off screen do not poll.
    await tel.section.getByTestId("temperature-panel").scrollIntoViewIfNeeded();
    await expect(tel.heatmap.rows).toHaveCount(nodes.length, { timeout: 30_000 });
    // A panel off screen keeps the answer it had (it does not poll there); back on screen, an answer
    // older than one poll is refreshed at once. So look at the turbines too, as the operator would.
    await tel.section.getByRole("region", { name: "Turbines" }).scrollIntoViewIfNeeded();
    await expect(tel.unavailable).toHaveCount(0, { timeout: 30_000 });
  });
});
