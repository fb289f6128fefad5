import { expect, type Locator, type Page } from "@playwright/test";

export class AccountPage {
  readonly current: Locator;
  readonly next: Locator;
  readonly repeat: Locator;
  readonly submit: Locator;

  constructor(private readonly page: Page) {
    const form = page.getByRole("form", { name: "Change password" });
    this.current = form.getByLabel("Current password");
    this.next = form.getByLabel("New password", { exact: true });
    this.repeat = form.getByLabel("Repeat the new password");
    this.submit = form.getByRole("button", { name: "Change password" });
  }

  async goto() {
    await this.page.goto("/settings/account");
    await expect(this.page.getByRole("heading", { name: "Your account", level: 1 })).toBeVisible();
  }

  async change(current: string, next: string, repeat = next) {
    await this.current.fill(current);
    await this.next.fill(next);
    await this.repeat.fill(repeat);
    await this.submit.click();
  }
}
