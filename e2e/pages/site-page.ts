import { expect, type Locator, type Page } from "@playwright/test";

export class SitePage {
  readonly heading: Locator;
  readonly facts: Locator;
  readonly clusters: Locator;
  readonly registerCluster: Locator;
  readonly deleteSite: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.facts = page.getByTestId("site-facts");
    this.clusters = page.getByTestId("cluster-table");
    this.registerCluster = page.getByRole("link", { name: "Register cluster" });
    this.deleteSite = page.getByRole("button", { name: "Delete site" });
  }

  async goto(slug: string) {
    await this.page.goto(`/sites/${slug}`);
    await expect(this.facts).toBeVisible();
  }

  /** "Restart workloads on this site" by label selector; lands on the restart's rollout page. */
  async restartWorkloads(siteName: string, labelSelector: string): Promise<void> {
    await this.page.getByRole("button", { name: "Restart workloads…" }).click();
    const dialog = this.page.getByRole("dialog", { name: `Restart workloads on ${siteName}` });
    await dialog.getByLabel("Label selector").fill(labelSelector);
    await dialog.getByRole("button", { name: "Restart", exact: true }).click();
    await this.page.waitForURL(/\/rollouts\/[^/]+$/);
  }

  clusterRow(name: string): Locator {
    return this.page.getByTestId(`cluster-row-${name}`);
  }
}
