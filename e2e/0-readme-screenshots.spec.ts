import { expect, readKubeconfig, test } from "./fixtures";
import { ClusterRegistrationPage } from "./pages/cluster-registration-page";
import { screenshotPath } from "./screenshots";

// The fleet screenshot (public/screenshots/fleet.png) is taken by
// 0-fleet-health.spec.ts while a site is unreachable and another degraded.
// Both land in public/screenshots only with `npm run screenshots`.
test.describe("screenshots for the README", () => {
  test("cluster registration after a successful test", async ({ adminPage: page, api, e2e }, testInfo) => {
    const target = await api.createSite({
      name: "Cierzo Wind Farm",
      kind: "wind-farm",
      labels: { region: "eu-south", operator: "ebro" },
    });
    const reg = new ClusterRegistrationPage(page);
    await reg.goto(target.slug);
    await reg.paste(readKubeconfig(e2e.simulator.okKubeconfigPath));
    await reg.test();
    await expect(reg.k3sVersion).toContainText("+k3s");
    // Show the head of the file, not the key at its end.
    await reg.kubeconfig.evaluate((el) => {
      el.scrollTop = 0;
      (el as HTMLTextAreaElement).setSelectionRange(0, 0);
    });
    await page.screenshot({ path: screenshotPath(testInfo, "cluster-registration.png"), fullPage: true });
  });
});
