import { expect, test, uniqueName } from "./fixtures";
import { webApp } from "./manifests";
import { ControlCenterPage } from "./pages/control-center-page";
import { DeploymentsPage } from "./pages/deployments-page";
import { FleetSelection } from "./pages/fleet-selection";

// Bulk selection in the fleet list (issue 10): tick sites (by mouse and keyboard),
// "select all N matching" with N from the server, then deploy to the selection
// or restart workloads on it — the chosen set resolved and shown before anything
// runs, and the restart followed to ready through the wave engine.

const configMap = (name: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: default }\ndata: { a: b }\n`;

test.describe("fleet list bulk selection", () => {
  test("ticked sites survive other filters and open a deployment with exactly those targets", async ({
    adminPage: page,
    api,
  }) => {
    const name = uniqueName("e2e-sel").toLowerCase();
    await api.post("/api/deployments", { name, manifest: configMap(name) });
    const fleet = new ControlCenterPage(page);
    const sel = new FleetSelection(page);
    await fleet.goto();
    await expect(sel.bar).toHaveCount(0);

    await sel.tick("store-berlin-01");
    await expect(sel.count).toHaveText("1 site selected");
    // Another filter, another tick (by keyboard); the first stays chosen.
    await fleet.search.fill("london");
    await expect(fleet.rows).toHaveCount(1);
    await sel.box("store-london-01").focus();
    await page.keyboard.press("Space");
    await expect(sel.count).toHaveText("2 sites selected");
    await fleet.search.fill("");
    await expect(sel.box("store-berlin-01")).toBeChecked();
    await expect(sel.box("store-london-01")).toBeChecked();

    await sel.deployTo(name);
    const deployments = new DeploymentsPage(page);
    await expect(deployments.targetsInput).toHaveValue("site=store-berlin-01|store-london-01");
    await expect(deployments.resolved).toContainText("2 clusters at 2 sites");
  });

  test("select all N matching, untick one, deploy: the page lists the N-1 sites the server resolved", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const name = uniqueName("e2e-sel-all").toLowerCase();
    await api.post("/api/deployments", { name, manifest: configMap(name) });
    const fleet = new ControlCenterPage(page);
    const sel = new FleetSelection(page);
    // Only the simulator's stores carry this label (other specs add stores of their own).
    await fleet.goto(`?kind=store&label=${encodeURIComponent("outpost.dev/kind=store")}`);
    await expect(fleet.resultCount).toContainText("match the filters");
    const matching = Number(
      ((await fleet.resultCount.textContent()) ?? "").split(" of ")[0]?.replace(/,/g, ""),
    );
    const stores = e2e.fleet.sites.filter((s) => s.kind === "store");
    expect(matching).toBe(stores.length);

    await sel.shownBox.check();
    await expect(sel.count).toHaveText(`${matching} sites selected`);
    await sel.clear();
    await expect(sel.bar).toHaveCount(0);
    await sel.tick("store-lisbon-01");
    await sel.selectAllMatching();
    await expect(sel.count).toHaveText(`All ${matching} sites matching the filters selected`);
    await sel.untick("store-lisbon-01");
    await expect(sel.count).toHaveText(
      `${matching - 1} of the ${matching} sites matching the filters selected (1 unticked)`,
    );
    await expect(sel.shownBox).not.toBeChecked();

    await sel.deployTo(name);
    const note = page.getByTestId("fleet-selection-note");
    await expect(note).toContainText(`the ${matching - 1} sites matching kind store`);
    await expect(note).toContainText("without the 1 you unticked");
    const clusters = stores
      .filter((s) => s.slug !== "store-lisbon-01")
      .reduce((n, s) => n + s.clusters.length, 0);
    await expect(new DeploymentsPage(page).resolved).toContainText(
      `${clusters} clusters at ${matching - 1} sites`,
    );
    // The other filter drops "all matching" (it meant the stores), so nothing stays selected by surprise.
    await fleet.goto("?kind=store");
    await sel.tick("store-london-01");
    await sel.selectAllMatching();
    await fleet.kind.selectOption("vehicle");
    await expect(sel.bar).toHaveCount(0);
  });

  test("restart workloads on two selected stores: resolved first, then new pods ready per store", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    test.setTimeout(150_000);
    const name = uniqueName("e2e-sel-web").toLowerCase();
    const deployments = new DeploymentsPage(page);
    await api.post("/api/deployments", { name, manifest: webApp(name) });
    const first = await api.post<{ id: string }>(`/api/deployments/${name}/rollouts`, {
      targets: { sites: ["store-london-01", "store-lisbon-01"] },
      strategy: { canary: { count: 0 }, waves: { by: "all" }, soakSeconds: 0 },
    });
    await page.goto(`/deployments/${name}/rollouts/${first.id}`);
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 90_000 });

    const fleet = new ControlCenterPage(page);
    const sel = new FleetSelection(page);
    await fleet.goto();
    await sel.tick("store-london-01");
    await sel.tick("store-lisbon-01");
    await sel.openRestart();
    const dialog = sel.restartDialog;
    const clusters = e2e.fleet.sites
      .filter((s) => s.slug === "store-london-01" || s.slug === "store-lisbon-01")
      .reduce((n, s) => n + s.clusters.length, 0);
    await expect(dialog.getByTestId("selection-resolved")).toContainText(`${clusters} clusters at 2 sites`);
    await dialog.getByLabel("Label selector").fill(`app=${name}`);
    await dialog.getByRole("button", { name: `Restart on ${clusters} clusters` }).click();
    await page.waitForURL(/\/rollouts\/[^/]+$/);
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 100_000 });
    const rows = page.locator('[data-testid^="target-store-l"]');
    await expect(rows).toHaveCount(clusters);
    for (const row of await rows.all()) await expect(row).toContainText("ready");
  });
});
