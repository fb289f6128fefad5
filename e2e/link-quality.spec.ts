import { POLL_HISTORY } from "../lib/health/link";
import { adminCookie, importFleetDirectory } from "../lib/testing/telemetry-fleet";
import { expect, test } from "./fixtures";
import { ControlCenterPage } from "./pages/control-center-page";
import { SimFaults } from "./sim-faults";

// Links that waver or crawl, as an operator sees them: a store whose link is
// down half of every 20 s is "intermittent" (not healthy, not dark), a store
// answering every request after 4 s is "slow" (reachable, not "timed out"),
// each with its sentence on the fleet page and the site page. The two stores
// have their own simulator (global-setup), are imported here and removed after.

/** The screen's lag: 2 s roll-up cache, 5 s page poll, 1 s collector flush, slack. */
const SCREEN_LAG_MS = 2_000 + 5_000 + 1_000 + 2_000;

test.describe("link quality", () => {
  test("an intermittent and a slow store show as such on the fleet page and their site pages", async ({
    adminPage: page,
    e2e,
  }) => {
    const intervalMs = e2e.fleet.pollIntervalSeconds * 1000;
    // Intermittent needs 3 failed polls in 2 drops within the window: ~5 polls of a link down half
    // of every 20 s, all POLL_HISTORY of them at the very worst (lib/health/link.ts).
    const intermittentByMs = POLL_HISTORY * 1.1 * intervalMs + SCREEN_LAG_MS;
    // Slow shows once the last 3 successful polls' median is past 2 s: two polls of a 4 s link,
    // the second possibly a detailed one (about 25 s on one new connection).
    const slowByMs = 2 * 1.1 * intervalMs + 2 * 25_000 + SCREEN_LAG_MS;
    test.setTimeout(Math.max(intermittentByMs, slowByMs) + 120_000);

    const { flappingSite, slowSite, fleetDir, controlUrl } = e2e.linkQuality;
    const cookie = await adminCookie(e2e.baseUrl, e2e.admin.username, e2e.admin.password);
    await importFleetDirectory(e2e.baseUrl, cookie, fleetDir, [flappingSite, slowSite], 60_000);
    const linkFaults = new SimFaults(controlUrl);
    try {
      await linkFaults.add({
        type: "flapping",
        site: flappingSite,
        params: { periodMs: 20_000, upFraction: 0.5 },
      });
      await linkFaults.add({ type: "slow", site: slowSite, params: { latencyMs: 4_000 } });

      const cc = new ControlCenterPage(page);
      await cc.goto();
      await expect(cc.row(flappingSite)).toHaveAttribute("data-status", "degraded", {
        timeout: intermittentByMs,
      });
      await expect(cc.headline(flappingSite)).toContainText(
        /Intermittent link: \d+ of the last \d+ polls failed/,
      );
      await expect(cc.since(flappingSite)).toContainText(/^since \d/);
      await expect(cc.row(slowSite)).toHaveAttribute("data-status", "degraded", { timeout: slowByMs });
      await expect(cc.headline(slowSite)).toContainText(/Slow link: 4\.\d s per request/);

      await test.step("the flapping store's page: its sentence, the link state, one history row for the run", async () => {
        await cc.row(flappingSite).getByRole("link").click();
        await expect(page.getByTestId("site-headline")).toContainText("Intermittent link:");
        await expect(
          page.getByTestId("site-reasons").locator('li[data-code="link-intermittent"]'),
        ).toHaveCount(1);
        const badge = page.locator("[data-testid^=link-]").first();
        await expect(badge).toHaveAttribute("data-link", "intermittent");
        await expect(page.locator("[data-testid^=freshness-]").first()).toContainText(
          /Intermittent: \d+ of the last \d+ polls failed/,
        );
        const history = page.getByTestId(/^contact-history-/).first();
        const runs = history.locator('li[data-kind="intermittent"]');
        await expect(runs).toHaveCount(1);
        await expect(runs.first()).toContainText(/ongoing.*\d+ of \d+ polls failed/);
      });

      await test.step("the slow store's page: reachable, slow, with its latency, never 'timed out'", async () => {
        await page.goto(`/sites/${slowSite}`);
        await expect(page.getByTestId("site-headline")).toContainText(/Slow link: 4\.\d s per request/);
        const freshness = page.locator("[data-testid^=freshness-]").first();
        await expect(freshness).toHaveAttribute("data-freshness", "fresh");
        await expect(freshness).toContainText(/Slow link \(4\.\d s per request\); last seen/);
        await expect(freshness).not.toContainText("timed out");
        await expect(page.locator("[data-testid^=link-]").first()).toHaveAttribute("data-link", "slow");
      });
    } finally {
      await linkFaults.clear();
      // Leave the fleet as the other specs expect it.
      for (const slug of [flappingSite, slowSite]) {
        const found = await page.request.get(`/api/sites/${slug}`);
        if (!found.ok()) continue;
        const { site } = (await found.json()) as { site: { id: string } };
        const res = await page.request.delete(`/api/sites/${site.id}`, { headers: { origin: e2e.baseUrl } });
        expect(res.status()).toBe(200);
      }
    }
  });
});
