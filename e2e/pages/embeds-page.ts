import { expect, type Locator, type Page } from "@playwright/test";

/** /embeds: the grants an operator manages. */
export class EmbedsPage {
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId("grant-table");
  }

  async goto() {
    await this.page.goto("/embeds");
    await expect(this.page.getByRole("heading", { name: "Embeds", level: 1 })).toBeVisible();
  }

  row(grantId: string): Locator {
    return this.page.getByTestId(`grant-row-${grantId}`);
  }

  async revoke(grantId: string) {
    await this.row(grantId).getByRole("button", { name: "Revoke" }).click();
    await this.page
      .getByRole("dialog", { name: "Revoke this embed?" })
      .getByRole("button", { name: "Revoke embed" })
      .click();
    await expect(this.row(grantId)).toHaveAttribute("data-state", "revoked");
  }
}

/** One embed inside a host page's iframe. */
export class EmbedFrame {
  constructor(
    private readonly page: Page,
    readonly name: string,
  ) {}

  get frame() {
    return this.page.frameLocator(`iframe[name="${this.name}"]`);
  }

  get root(): Locator {
    return this.frame.locator("#eb-root > *");
  }

  get error(): Locator {
    return this.frame.getByTestId("embed-error");
  }

  /** the browser-side frame object (for evaluate) */
  handle() {
    const f = this.page.frame({ name: this.name });
    if (!f) throw new Error(`no frame ${this.name}`);
    return f;
  }
}
