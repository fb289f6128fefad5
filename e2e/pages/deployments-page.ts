import type { Locator, Page } from "@playwright/test";

/** /deployments/new, /deployments/<name> and a rollout's page. */
export class DeploymentsPage {
  constructor(private readonly page: Page) {}

  async create(name: string, manifest: string, message: string): Promise<void> {
    await this.page.goto("/deployments/new");
    await this.page.getByLabel("Name").fill(name);
    await this.page.getByLabel("Manifest", { exact: true }).fill(manifest);
    await this.page.getByLabel("Revision message").fill(message);
    await this.page.getByRole("button", { name: "Create deployment" }).click();
    await this.page.waitForURL(`**/deployments/${name}`);
  }

  get manifestCheck(): Locator {
    return this.page.getByTestId("manifest-check");
  }

  get targetsInput(): Locator {
    return this.page.getByLabel("Targets", { exact: true });
  }

  get resolved(): Locator {
    return this.page.getByTestId("targets-resolved");
  }

  get previewSentence(): Locator {
    return this.page.getByTestId("preview-sentence");
  }

  async preview(): Promise<void> {
    await this.page.getByRole("button", { name: "Preview changes (dry run)" }).click();
  }

  async setWaves(input: { canary: string; steps: string; soak: string }): Promise<void> {
    await this.page.getByLabel("Canary clusters").fill(input.canary);
    await this.page.getByLabel("Then waves of (cumulative %)").fill(input.steps);
    await this.page.getByLabel("Soak (s)").fill(input.soak);
  }

  async start(): Promise<void> {
    await this.page.getByRole("button", { name: "Start rollout" }).click();
    await this.page.waitForURL(/\/rollouts\/[^/]+$/);
  }

  get rolloutState(): Locator {
    return this.page.getByTestId("rollout-state");
  }

  /** The sentence under the state: why it is paused, what is left. */
  get rolloutReason(): Locator {
    return this.page.getByTestId("rollout-reason");
  }

  /** Wave `index` (0 is the canary when there is one): its name, size and status. */
  wave(index: number): Locator {
    return this.page.getByTestId(`wave-${index}`);
  }

  /** Confirms "Roll back" on a rollout's page and lands on the rollback's own page. */
  async rollBack(): Promise<void> {
    const from = new URL(this.page.url()).pathname;
    await this.page.getByTestId("rollout-actions").getByRole("button", { name: "Roll back" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Roll back to the previous revision?" });
    await dialog.getByRole("button", { name: "Roll back" }).click();
    await this.page.waitForURL((url) => url.pathname !== from && /\/rollouts\/[^/]+$/.test(url.pathname));
  }

  target(site: string, cluster: string): Locator {
    return this.page.getByTestId(`target-${site}-${cluster}`);
  }
}
