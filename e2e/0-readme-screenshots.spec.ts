import path from "node:path";
import { expect, readKubeconfig, test, uniqueName } from "./fixtures";
import { ClusterRegistrationPage } from "./pages/cluster-registration-page";

const OUT = path.join(process.cwd(), "public", "screenshots");

// Named 0-… so it runs first (files run in name order with one worker): the
// fleet page then shows only the realistic sites seeded here.
test.describe("screenshots for the README", () => {
  test("fleet page and cluster registration after a successful test", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const seeded: Parameters<typeof api.createSite>[0][] = [
      { name: "Cierzo Wind Farm", kind: "wind-farm", labels: { region: "eu-south", operator: "ebro" } },
      { name: "Berlin Mitte Store 014", kind: "store", labels: { region: "eu-central", tier: "flagship" } },
      {
        name: "Service Truck 207",
        kind: "vehicle",
        labels: { depot: "hamburg" },
        contactMode: "intermittent",
        expectedOfflineWindows: [{ start: "22:00", end: "05:30", timeZone: "Europe/Berlin" }],
      },
      { name: "Munich Assembly Line 3", kind: "factory", labels: { region: "eu-central" } },
    ];
    const sites = [];
    for (const s of seeded) sites.push(await api.createSite(s));
    const kubeconfigs = [e2e.simulator.okKubeconfigPath, ...e2e.simulator.spareKubeconfigPaths];
    for (const [i, site] of sites.entries()) {
      const file = kubeconfigs[i % kubeconfigs.length];
      if (!file) continue;
      await api.post("/api/clusters", {
        siteId: site.id,
        name: uniqueName("edge").toLowerCase(),
        kubeconfig: readKubeconfig(file),
      });
    }

    await page.goto("/");
    await expect(page.getByTestId("fleet-stats")).toBeVisible();
    await expect(page.getByTestId("site-table")).toContainText("Cierzo Wind Farm");
    await page.screenshot({ path: path.join(OUT, "fleet.png"), fullPage: true });

    const reg = new ClusterRegistrationPage(page);
    const target = sites[0];
    if (!target) throw new Error("no site seeded");
    await reg.goto(target.slug);
    await reg.paste(readKubeconfig(e2e.simulator.okKubeconfigPath));
    await reg.test();
    await expect(reg.k3sVersion).toContainText("+k3s");
    // Show the head of the file, not the key at its end.
    await reg.kubeconfig.evaluate((el) => {
      el.scrollTop = 0;
      (el as HTMLTextAreaElement).setSelectionRange(0, 0);
    });
    await page.screenshot({ path: path.join(OUT, "cluster-registration.png"), fullPage: true });
  });
});
