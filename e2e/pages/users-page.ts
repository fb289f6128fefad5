import { expect, type Locator, type Page } from "@playwright/test";

export class UsersPage {
  readonly username: Locator;
  readonly password: Locator;
  readonly role: Locator;
  readonly create: Locator;
  readonly table: Locator;

  constructor(private readonly page: Page) {
    const form = page.getByRole("form", { name: "Create user" });
    this.username = form.getByLabel("Username");
    this.password = form.getByLabel("Initial password");
    this.role = form.getByLabel("Role");
    this.create = form.getByRole("button", { name: "Create user" });
    this.table = page.getByTestId("user-table");
  }

  async goto() {
    await this.page.goto("/settings/users");
    await expect(this.page.getByRole("heading", { name: "Users", level: 1 })).toBeVisible();
  }

  row(username: string): Locator {
    return this.page.getByTestId(`user-row-${username}`);
  }
}
