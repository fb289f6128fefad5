import { expect, type Locator, type Page } from "@playwright/test";

/** The site page's threshold panel: effective values with their source, overrides per level. */
export class SiteThresholdsPanel {
  readonly root: Locator;
  readonly siteValue: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId("site-thresholds");
    this.siteValue = this.root.getByTestId("site-threshold");
  }

  node(name: string): Locator {
    return this.root.getByTestId(`node-threshold-${name}`);
  }

  private editor(label: string): Locator {
    return this.root.getByRole("form", { name: label });
  }

  async setSite(celsius: number) {
    const form = this.editor("Threshold for this site");
    await form.getByRole("textbox").fill(String(celsius));
    await form.getByRole("button", { name: "Set" }).click();
  }

  async inheritSite() {
    await this.editor("Threshold for this site").getByRole("button", { name: "Inherit" }).click();
  }

  async setNode(node: string, celsius: number) {
    const form = this.editor(`Threshold for node ${node}`);
    await form.getByRole("textbox").fill(String(celsius));
    await form.getByRole("button", { name: "Set" }).click();
  }

  async inheritNode(node: string) {
    await this.editor(`Threshold for node ${node}`).getByRole("button", { name: "Inherit" }).click();
  }
}

/** The site page's maintenance switch. */
export class SiteMaintenancePanel {
  readonly root: Locator;
  readonly active: Locator;
  readonly off: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId("site-maintenance");
    this.active = this.root.getByTestId("maintenance-active");
    this.off = this.root.getByTestId("maintenance-off");
  }

  async start(reason: string, duration = "2 hours") {
    const form = this.root.getByRole("form", { name: "Start maintenance" });
    await form.getByLabel("Reason").fill(reason);
    await form.getByLabel("For").selectOption({ label: duration });
    await form.getByRole("button", { name: "Start maintenance" }).click();
    await expect(this.active).toBeVisible();
  }

  async end() {
    await this.root.getByRole("button", { name: "End maintenance now" }).click();
    await expect(this.off).toBeVisible();
  }
}
