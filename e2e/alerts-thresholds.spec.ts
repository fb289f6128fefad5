import { expect, test } from "./fixtures";
import { ControlCenterPage } from "./pages/control-center-page";
import { SiteMaintenancePanel, SiteThresholdsPanel } from "./pages/site-alerts";
import { SitePage } from "./pages/site-page";

// The threshold chain and site maintenance from the site page (issue 9): an operator sets the
// site's and a node's level; every place shows the effective value and where it came from.
// Maintenance is switched on and off with a reason, and shows on the fleet page.

test.describe("thresholds and maintenance", () => {
  test("site and node overrides show their effective value and source", async ({ adminPage: page, e2e }) => {
    const { site, nodes } = e2e.alerts.store;
    const [first, second] = nodes;
    if (!first || !second) throw new Error("the alerts store has two nodes");
    const sitePage = new SitePage(page);
    const panel = new SiteThresholdsPanel(page);
    await sitePage.goto(site);
    await expect(panel.siteValue).toContainText("80 °C, fleet default");
    await expect(panel.node(first)).toContainText("80 °C, fleet default");

    await panel.setSite(82);
    await expect(panel.siteValue).toContainText("82 °C, set on this site");
    await expect(panel.node(first)).toContainText("82 °C, set on site Alerts store 01");
    // The site's facts read the same level.
    await expect(sitePage.facts).toContainText("82 °C, set on this site");

    await panel.setNode(second, 85);
    await expect(panel.node(second)).toContainText("85 °C, set on this node");
    await expect(panel.node(first)).toContainText("82 °C");

    // Bad input is refused with the reason, nothing saved.
    await panel.setNode(first, 900);
    await expect(panel.node(first)).toContainText("at most 150 °C");
    await expect(panel.node(first)).toContainText("82 °C, set on site");

    await panel.inheritNode(second);
    await expect(panel.node(second)).toContainText("82 °C, set on site");
    await panel.inheritSite();
    await expect(panel.siteValue).toContainText("80 °C, fleet default");
  });

  test("maintenance is switched on with a reason, shown on the fleet page, and ended", async ({
    adminPage: page,
    e2e,
  }) => {
    const { site } = e2e.alerts.store;
    const sitePage = new SitePage(page);
    const maintenance = new SiteMaintenancePanel(page);
    await sitePage.goto(site);
    await expect(maintenance.off).toBeVisible();
    await maintenance.start("replace the store's UPS battery", "1 hour");
    await expect(maintenance.active).toContainText("replace the store's UPS battery");
    await expect(maintenance.active).toContainText("In maintenance until");

    const cc = new ControlCenterPage(page);
    await cc.goto();
    const fleet = page.getByTestId("fleet-maintenance");
    await expect(fleet).toContainText("site in maintenance");
    await expect(fleet.getByRole("link", { name: "Alerts store 01" })).toBeVisible();

    await sitePage.goto(site);
    await maintenance.end();
    await expect(maintenance.root).toContainText("replace the store's UPS battery");
    await cc.goto();
    await expect(page.getByTestId("fleet-maintenance")).toHaveCount(0);
  });
});
