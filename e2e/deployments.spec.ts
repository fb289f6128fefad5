import { expect, test, uniqueName } from "./fixtures";
import { webApp } from "./manifests";
import { DeploymentsPage } from "./pages/deployments-page";
import { SiteMaintenancePanel } from "./pages/site-alerts";
import { SitePage } from "./pages/site-page";
import { isPodReady, SimKube } from "./sim-kube";

// Deployments (issue 10) through the browser against the real TLS simulator and
// the server's embedded worker host (deploy runner): manifest with validation by
// document and field, targets resolved as typed, a dry-run preview, a rollout in
// waves to ready, and what the site page then shows.

const BAD_MANIFEST = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: default\ndata:\n  a: b\n";

function manifest(name: string): string {
  return [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    `  name: ${name}-config`,
    "  namespace: default",
    "data:",
    "  greeting: hello",
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    "  namespace: default",
    "spec:",
    "  replicas: 1",
    "  selector:",
    `    matchLabels: { app: ${name} }`,
    "  template:",
    `    metadata: { labels: { app: ${name} } }`,
    "    spec:",
    "      containers:",
    "        - name: web",
    "          image: nginx:1.27",
    "",
  ].join("\n");
}

/** Everything at once, no soak: for setting the scene, not for the waves under test. */
const AT_ONCE = { canary: { count: 0 }, waves: { by: "all" }, soakSeconds: 0 };

test.describe("deployments", () => {
  test("create, preview and roll out a manifest to two stores; the site page shows it", async ({
    adminPage: page,
    e2e,
  }) => {
    test.setTimeout(120_000);
    const deployments = new DeploymentsPage(page);
    const name = uniqueName("e2e-web").toLowerCase();

    // Validation names the document and the field while typing.
    await page.goto("/deployments/new");
    await page.getByLabel("Manifest", { exact: true }).fill(BAD_MANIFEST);
    await expect(deployments.manifestCheck).toContainText("metadata.name");
    await expect(deployments.manifestCheck).toContainText(/document 1/i);

    await deployments.create(name, manifest(name), "first cut");
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page.getByTestId("revisions")).toContainText("first cut");

    const berlin = e2e.fleet.sites.find((s) => s.slug === "store-berlin-01");
    const london = e2e.fleet.sites.find((s) => s.slug === "store-london-01");
    if (!berlin?.clusters[0] || !london?.clusters[0]) throw new Error("the e2e fleet lacks Berlin or London");
    await deployments.targetsInput.fill("site=store-berlin-01|store-london-01");
    await expect(deployments.resolved).toContainText("2 clusters at 2 sites");

    await deployments.preview();
    await expect(deployments.previewSentence).toContainText("Preview:", { timeout: 30_000 });
    await expect(deployments.previewSentence).toContainText("2 will change");

    await deployments.setWaves({ canary: "1", steps: "100", soak: "0" });
    await deployments.start();
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 90_000 });
    for (const site of [berlin, london]) {
      await expect(deployments.target(site.slug, site.clusters[0]?.name ?? "")).toContainText("ready");
    }
    await expect(page.getByTestId("waves")).toContainText("canary");

    await page.goto(`/sites/${london.slug}`);
    await expect(page.getByTestId("site-deployments")).toContainText(name, { timeout: 20_000 });
  });

  test("an offline store waits for its site and gets the deploy when the collector sees it again", async ({
    adminPage: page,
    api,
    e2e,
    faults,
  }) => {
    test.setTimeout(150_000);
    const deployments = new DeploymentsPage(page);
    const site = e2e.fleet.offlineSite;
    const cluster = e2e.fleet.sites.find((s) => s.slug === site)?.clusters[0]?.name ?? "";
    const name = uniqueName("e2e-queued").toLowerCase();
    await api.post("/api/deployments", {
      name,
      manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: default }\ndata: { a: b }\n`,
    });
    await faults.add({ type: "offline", site });
    const rollout = await api.post<{ id: string }>(`/api/deployments/${name}/rollouts`, {
      targets: { sites: [site] },
      strategy: { canary: { count: 0 }, waves: { by: "all" }, soakSeconds: 0 },
    });
    await page.goto(`/deployments/${name}/rollouts/${rollout.id}`);
    const row = deployments.target(site, cluster);
    await expect(row).toContainText("waiting for site", { timeout: 30_000 });
    await expect(row).toContainText("applied when the site is back");
    await expect(deployments.rolloutState).toContainText("running");

    await faults.clear();
    // The collector retries a failed cluster after about two intervals (backoff), then the runner applies.
    await expect(row).toContainText("ready", { timeout: 100_000 });
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 20_000 });
  });

  test("a viewer sees deployments but gets no New deployment button", async ({ page, api, e2e }) => {
    await api.login(e2e.admin.username, e2e.admin.password);
    const username = uniqueName("viewer").toLowerCase();
    await api.createUser(username, "viewer-password-123", "viewer");
    await page.context().clearCookies();
    await api.login(username, "viewer-password-123");
    await page.goto("/deployments");
    await expect(page.getByRole("heading", { name: "Deployments", level: 1 })).toBeVisible();
    await expect(page.getByRole("link", { name: "New deployment" })).toHaveCount(0);
    await page.goto("/deployments/new");
    await expect(page.getByText(/operator/i).first()).toBeVisible();
  });

  test("a broken canary pauses the rollout with the pod's reason; rolling back re-applies the previous revision and prunes", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    test.setTimeout(120_000);
    const deployments = new DeploymentsPage(page);
    const kube = new SimKube(e2e.simulator.fleetDir);
    const name = uniqueName("e2e-canary").toLowerCase();
    // Targets are taken by site slug: Berlin is the canary, London the wave after it.
    const [berlin, london] = ["store-berlin-01", "store-london-01"].map((slug) => {
      const cluster = e2e.fleet.sites.find((s) => s.slug === slug)?.clusters[0]?.name;
      if (!cluster) throw new Error(`the e2e fleet lacks ${slug}`);
      return { slug, cluster };
    }) as [{ slug: string; cluster: string }, { slug: string; cluster: string }];
    const flagsPath = `/api/v1/namespaces/default/configmaps/${name}-flags`;

    // Revision 1 runs on both stores (set up through the API: not what is under test).
    await api.post("/api/deployments", { name, manifest: webApp(name, "nginx:1.27") });
    const first = await api.post<{ id: string }>(`/api/deployments/${name}/rollouts`, {
      targets: { sites: [berlin.slug, london.slug] },
      strategy: AT_ONCE,
    });
    await page.goto(`/deployments/${name}/rollouts/${first.id}`);
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 60_000 });

    // Revision 2 pulls an image that does not exist, and adds a ConfigMap.
    await api.post(`/api/deployments/${name}/revisions`, {
      manifest: webApp(name, "nginx:broken", true),
      message: "nginx broken",
    });
    const second = await api.post<{ id: string }>(`/api/deployments/${name}/rollouts`, {
      targets: { sites: [berlin.slug, london.slug] },
      strategy: { canary: { count: 1 }, waves: { by: "all" }, soakSeconds: 0, rolloutTimeoutSeconds: 60 },
    });
    await page.goto(`/deployments/${name}/rollouts/${second.id}`);
    await expect(deployments.rolloutState).toContainText("paused", { timeout: 45_000 });
    await expect(deployments.rolloutReason).toContainText("wave 1 (canary): 1 of 1 failed");
    await expect(deployments.rolloutReason).toContainText(`Deployment default/${name}: pod ${name}-`);
    await expect(deployments.rolloutReason).toContainText("ImagePullBackOff");
    const canary = deployments.target(berlin.slug, berlin.cluster);
    await expect(canary).toContainText("canary");
    await expect(canary).toContainText("failed");
    await expect(canary).toContainText("ImagePullBackOff");
    // The next wave never started: London is still queued and still runs revision 1.
    await expect(deployments.wave(1)).toContainText("not started");
    await expect(deployments.target(london.slug, london.cluster)).toContainText("queued");
    expect(await kube.deploymentImage(london.slug, london.cluster, "default", name)).toBe("nginx:1.27");
    expect(await kube.get(london.slug, london.cluster, flagsPath)).toBeNull();
    // The canary got revision 2, so there is something to roll back and prune.
    expect(await kube.deploymentImage(berlin.slug, berlin.cluster, "default", name)).toBe("nginx:broken");
    expect(await kube.get(berlin.slug, berlin.cluster, flagsPath)).not.toBeNull();

    await deployments.rollBack();
    await expect(page.getByRole("heading", { name: "Rollback of revision 1" })).toBeVisible();
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 60_000 });
    await expect(deployments.target(berlin.slug, berlin.cluster)).toContainText("ready");
    // Only the canary was touched, so only the canary is rolled back.
    await expect(page.getByTestId("rollout-targets").locator("tbody tr")).toHaveCount(1);
    expect(await kube.deploymentImage(berlin.slug, berlin.cluster, "default", name)).toBe("nginx:1.27");
    expect(await kube.get(berlin.slug, berlin.cluster, flagsPath)).toBeNull();

    await page.goto(`/deployments/${name}/rollouts/${second.id}`);
    await expect(deployments.rolloutState).toContainText("rolled back");
    await expect(deployments.target(berlin.slug, berlin.cluster)).toContainText("rolled back");
    await expect(deployments.target(london.slug, london.cluster)).toContainText("cancelled");
    await page.goto(`/sites/${berlin.slug}`);
    const installed = page.getByTestId("site-deployments").getByRole("row", { name: new RegExp(name) });
    await expect(installed).toContainText("r1");
    await expect(installed).toContainText("ready");
  });

  test("a store in maintenance is held with the reason while the other is deployed; ending maintenance lets it finish", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    test.setTimeout(90_000);
    const deployments = new DeploymentsPage(page);
    const name = uniqueName("e2e-held").toLowerCase();
    const [held, other] = ["store-berlin-01", "store-london-01"].map((slug) => {
      const cluster = e2e.fleet.sites.find((s) => s.slug === slug)?.clusters[0]?.name;
      if (!cluster) throw new Error(`the e2e fleet lacks ${slug}`);
      return { slug, cluster };
    }) as [{ slug: string; cluster: string }, { slug: string; cluster: string }];
    const reason = "e2e: replace the till";
    await api.post("/api/deployments", {
      name,
      manifest: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}, namespace: default }\ndata: { a: b }\n`,
    });
    const { maintenance } = await api.post<{ maintenance: { id: string } }>(
      `/api/sites/${held.slug}/maintenance`,
      { reason, durationMinutes: 60 },
    );
    try {
      const rollout = await api.post<{ id: string }>(`/api/deployments/${name}/rollouts`, {
        targets: { sites: [held.slug, other.slug] },
        strategy: AT_ONCE,
      });
      await page.goto(`/deployments/${name}/rollouts/${rollout.id}`);
      const heldRow = deployments.target(held.slug, held.cluster);
      await expect(deployments.target(other.slug, other.cluster)).toContainText("ready", { timeout: 45_000 });
      await expect(heldRow).toContainText("held (maintenance)");
      await expect(heldRow).toContainText(`site in maintenance until`);
      await expect(heldRow).toContainText(reason);
      await expect(deployments.rolloutState).toContainText("running");

      // The operator ends maintenance on the site page; the rollout goes on there without a click.
      await page.goto(`/sites/${held.slug}`);
      await new SiteMaintenancePanel(page).end();
      await page.goto(`/deployments/${name}/rollouts/${rollout.id}`);
      await expect(heldRow).toContainText("ready", { timeout: 45_000 });
      await expect(deployments.rolloutState).toContainText("completed");
    } finally {
      // A failed test must not leave the store in maintenance for the specs after it.
      const res = await page.request.get(`/api/sites/${held.slug}/maintenance`);
      const body = (await res.json()) as { active?: { id: string } | null };
      if (body.active?.id === maintenance.id)
        await api.delete(`/api/sites/${held.slug}/maintenance/${maintenance.id}`);
    }
  });

  test("restart workloads on a whole wind farm from its site page: new pods ready on every turbine", async ({
    adminPage: page,
    api,
    e2e,
  }) => {
    test.setTimeout(120_000);
    const deployments = new DeploymentsPage(page);
    const kube = new SimKube(e2e.simulator.fleetDir);
    const farm = e2e.fleet.sites.find((s) => s.slug === e2e.telemetry.windFarm);
    if (!farm) throw new Error("the e2e fleet lacks its wind farm");
    const name = uniqueName("e2e-farm").toLowerCase();
    const selector = `app=${name}`;
    await api.post("/api/deployments", { name, manifest: webApp(name, "nginx:1.27") });
    const first = await api.post<{ id: string }>(`/api/deployments/${name}/rollouts`, {
      targets: { sites: [farm.slug] },
      strategy: { ...AT_ONCE, maxInFlightPerSite: 10 },
    });
    await page.goto(`/deployments/${name}/rollouts/${first.id}`);
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 60_000 });
    const before = new Map<string, string[]>();
    for (const c of farm.clusters)
      before.set(
        c.name,
        (await kube.pods(farm.slug, c.name, "default", selector)).map((p) => p.metadata.name),
      );

    const site = new SitePage(page);
    await site.goto(farm.slug);
    await site.restartWorkloads(farm.name, selector);
    await expect(page.getByRole("heading", { name: "Restart", exact: true })).toBeVisible();
    await expect(deployments.rolloutState).toContainText("completed", { timeout: 90_000 });
    const rows = page.getByTestId("rollout-targets").locator("tbody tr");
    await expect(rows).toHaveCount(farm.clusters.length);
    for (const c of farm.clusters) await expect(deployments.target(farm.slug, c.name)).toContainText("ready");

    // On every cluster of the farm: only new pods, stamped by the restart, and ready.
    for (const c of farm.clusters) {
      const pods = await kube.pods(farm.slug, c.name, "default", selector);
      expect(pods.length, c.name).toBeGreaterThan(0);
      for (const p of pods) {
        expect(before.get(c.name), c.name).not.toContain(p.metadata.name);
        expect(p.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"], c.name).toBeTruthy();
        expect(isPodReady(p), `${c.name}/${p.metadata.name} ready`).toBe(true);
      }
    }
  });
});
