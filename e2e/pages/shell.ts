import type { Locator, Page } from "@playwright/test";

export class Shell {
  readonly userBox: Locator;
  readonly signOut: Locator;
  readonly nav: Locator;

  constructor(page: Page) {
    this.userBox = page.getByTestId("user-box");
    this.signOut = page.getByRole("button", { name: "Sign out" });
    this.nav = page.getByRole("navigation", { name: "Main" });
  }

  link(name: string): Locator {
    return this.nav.getByRole("link", { name, exact: true });
  }
}
