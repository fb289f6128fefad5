import type { Locator, Page } from "@playwright/test";

/** The control center's bulk selection: row checkboxes, the selection bar and its two dialogs. */
export class FleetSelection {
  readonly bar: Locator;
  readonly count: Locator;
  readonly shownBox: Locator;

  constructor(private readonly page: Page) {
    this.bar = page.getByTestId("selection-bar");
    this.count = page.getByTestId("selection-count");
    this.shownBox = page.getByTestId("select-shown");
  }

  box(slug: string): Locator {
    return this.page.getByTestId(`fleet-row-${slug}`).getByTestId("select-site");
  }

  async tick(slug: string): Promise<void> {
    await this.box(slug).check();
  }

  async untick(slug: string): Promise<void> {
    await this.box(slug).uncheck();
  }

  async selectAllMatching(): Promise<void> {
    await this.bar.getByRole("button", { name: /^Select all \d[\d,]* matching$/ }).click();
  }

  async clear(): Promise<void> {
    await this.bar.getByRole("button", { name: "Clear selection" }).click();
  }

  /** Opens "Deploy to selection", picks the deployment, lands on its page. */
  async deployTo(name: string): Promise<void> {
    await this.bar.getByRole("button", { name: "Deploy to selection…" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Deploy to the selected sites" });
    await dialog.getByLabel("Find a deployment").fill(name);
    await dialog.getByRole("link", { name, exact: true }).click();
    await this.page.waitForURL(`**/deployments/${name}?*`);
  }

  get restartDialog(): Locator {
    return this.page.getByRole("dialog", { name: "Restart workloads on the selected sites" });
  }

  async openRestart(): Promise<void> {
    await this.bar.getByRole("button", { name: "Restart workloads…" }).click();
  }
}
