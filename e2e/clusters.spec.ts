import { expect, readKubeconfig, test, uniqueName } from "./fixtures";
import { ClusterRegistrationPage } from "./pages/cluster-registration-page";
import { SitePage } from "./pages/site-page";

test.describe("cluster registration", () => {
  test("(c) paste a simulator kubeconfig, test it (k3s version shown), save: the cluster appears on the site page", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const site = await api.createSite({ name: uniqueName("Wind farm"), kind: "wind-farm" });
    const sitePage = new SitePage(page);
    await sitePage.goto(site.slug);
    await sitePage.registerCluster.click();

    const reg = new ClusterRegistrationPage(page);
    await expect(page.getByRole("heading", { name: "Register cluster" })).toBeVisible();
    const kubeconfig = readKubeconfig(e2e.simulator.okKubeconfigPath);
    await reg.paste(kubeconfig);
    await reg.test();

    await expect(reg.k3sVersion).toContainText("+k3s");
    await expect(reg.k3sVersion).toHaveText(e2e.simulator.okK3sVersion);
    await expect(reg.result).toContainText("Connected");
    await expect(reg.result).toContainText(/Latency\s*\d+ ms/);
    await expect(reg.result).toContainText(/expires in \d+ days/);
    // The name is suggested from the context; make it unique for this run.
    await expect(reg.name).toHaveValue("default");
    const clusterName = uniqueName("turbines").toLowerCase();
    await reg.name.fill(clusterName);
    await reg.save.click();

    await expect(page).toHaveURL(new RegExp(`/sites/${site.slug}$`));
    const row = sitePage.clusterRow(clusterName);
    await expect(row).toBeVisible();
    await expect(row).toContainText(e2e.simulator.okK3sVersion);
    await expect(row).toContainText("Client certificate");
    await expect(row).toContainText(/expires in \d+ days/);
    await expect(row).toContainText(/\d+ s ago|just now/);

    // The kubeconfig is never echoed back: neither the page nor the site API contains its key material.
    const keyData = /client-key-data: (\S+)/.exec(kubeconfig)?.[1] ?? "";
    expect(keyData.length).toBeGreaterThan(20);
    expect(await page.content()).not.toContain(keyData.slice(0, 40));
    const detail = await (await page.request.get(`/api/sites/${site.slug}`)).text();
    expect(detail).not.toContain(keyData.slice(0, 40));
    expect(detail).not.toContain("certificate-authority-data");
  });

  test("(c') a kubeconfig uploaded as a file is read in the browser and tests fine", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const site = await api.createSite({ name: uniqueName("Store"), kind: "store" });
    const reg = new ClusterRegistrationPage(page);
    await reg.goto(site.slug);
    await reg.file.setInputFiles(e2e.simulator.okKubeconfigPath);
    await expect(reg.kubeconfig).toHaveValue(/current-context: default/);
    await expect(page.getByText(/Loaded ok\.yaml/)).toBeVisible();
    await reg.test();
    await expect(reg.k3sVersion).toContainText("+k3s");
  });

  test("(d) a kubeconfig with an exec user is refused and the page names exec", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const site = await api.createSite({ name: uniqueName("Store"), kind: "store" });
    const reg = new ClusterRegistrationPage(page);
    await reg.goto(site.slug);
    await reg.paste(readKubeconfig(e2e.simulator.execKubeconfigPath));
    await reg.test();
    await expect(reg.rejected).toContainText("Kubeconfig refused");
    await expect(reg.rejected).toContainText("user.exec");
    await expect(reg.rejected).toContainText("exec refused: runs a command on the Outpost server");
    await expect(reg.result).toBeHidden();

    // Saving is refused the same way, and nothing is stored.
    await reg.name.fill("should-not-exist");
    await reg.save.click();
    await expect(reg.rejected).toContainText("exec refused");
    await expect(page).toHaveURL(/\/clusters\/new$/);
    const detail = (await (await page.request.get(`/api/sites/${site.id}`)).json()) as {
      clusters: unknown[];
    };
    expect(detail.clusters).toHaveLength(0);
  });

  test("(e) a copied k3s.yaml (server 127.0.0.1:6443) asks for the reachable address and works with it", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const site = await api.createSite({ name: uniqueName("Vehicle"), kind: "vehicle" });
    const reg = new ClusterRegistrationPage(page);
    await reg.goto(site.slug);
    await reg.paste(readKubeconfig(e2e.simulator.copiedKubeconfigPath));
    await expect(reg.serverAddress).toBeHidden();
    await reg.test();

    await expect(reg.serverAddressField).toBeVisible();
    await expect(reg.serverAddressField).toContainText("https://127.0.0.1:6443");
    await expect(reg.result).toContainText("Enter the address Outpost can reach");
    await expect(reg.k3sVersion).toBeHidden();

    await reg.serverAddress.fill(e2e.simulator.copiedRealServer);
    await reg.test();
    await expect(reg.k3sVersion).toHaveText(e2e.simulator.copiedK3sVersion);
    await expect(reg.result).toContainText(e2e.simulator.copiedRealServer);

    const clusterName = uniqueName("truck").toLowerCase();
    await reg.name.fill(clusterName);
    await reg.save.click();
    await expect(page).toHaveURL(new RegExp(`/sites/${site.slug}$`));
    const row = new SitePage(page).clusterRow(clusterName);
    await expect(row).toContainText(e2e.simulator.copiedRealServer);
    await expect(row).toContainText(e2e.simulator.copiedK3sVersion);
  });

  test("an unreachable cluster can be saved anyway (site offline)", async ({ adminPage: page, api, e2e }) => {
    test.setTimeout(75_000);
    const site = await api.createSite({ name: uniqueName("Offline truck"), kind: "vehicle" });
    const reg = new ClusterRegistrationPage(page);
    await reg.goto(site.slug);
    await reg.paste(readKubeconfig(e2e.simulator.copiedKubeconfigPath));
    await reg.test();
    // Nothing listens on this loopback port: connection refused, like a site that is off.
    await reg.serverAddress.fill("https://127.0.0.1:9");
    await reg.test();
    await expect(reg.result).toContainText("Connection failed: Connection refused");
    await expect(reg.saveAnyway).toBeVisible();
    const clusterName = uniqueName("parked").toLowerCase();
    await reg.name.fill(clusterName);
    await reg.save.click();
    await expect(reg.rejected).toContainText("Cluster unreachable");
    await reg.saveAnyway.click();
    await expect(page).toHaveURL(new RegExp(`/sites/${site.slug}$`));
    await expect(new SitePage(page).clusterRow(clusterName)).toContainText("never tested");
    // …and the collector, polling it in the background, says why it is dark.
    await expect(page.getByTestId(`cluster-health-${clusterName}`)).toContainText(
      /Never reached.*connection refused/,
      { timeout: 35_000 },
    );
  });

  test("a client certificate expiring within 30 days is a warning on the site page and the fleet page", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    const site = await api.createSite({ name: uniqueName("Expiring store"), kind: "store" });
    const clusterName = uniqueName("expiring").toLowerCase();
    await api.post("/api/clusters", {
      siteId: site.id,
      name: clusterName,
      kubeconfig: readKubeconfig(e2e.simulator.expiringKubeconfigPath),
    });
    const sitePage = new SitePage(page);
    await sitePage.goto(site.slug);
    const days = e2e.simulator.expiringCertDays - 1;
    // A warning badge with an icon and words, not just a colour.
    const warning = sitePage.clusterRow(clusterName).locator(".badge--warn");
    await expect(warning).toHaveText(new RegExp(`▲\\s*expires in (${days}|${days + 1}) days`));

    await page.goto("/");
    await expect(page.getByText(/cluster certificates? expires? within 30 days/)).toBeVisible();
  });
});
