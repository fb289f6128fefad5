import { expect, type Locator, type Page } from "@playwright/test";

/** /alerts: counts, the live list (firing and pending, then muted and suppressed), history. */
export class AlertsPage {
  readonly counts: Locator;
  readonly tables: Locator;

  constructor(private readonly page: Page) {
    this.counts = page.getByTestId("alert-counts");
    this.tables = page.getByTestId("alert-table");
  }

  async goto(query = "") {
    await this.page.goto(`/alerts${query}`);
    await expect(this.counts).toBeVisible();
  }

  /** The row of one alert: site slug, node (or "site"), rule kind and rule name. */
  row(site: string, node: string | null, kind: string, rule: string): Locator {
    return this.page.locator(
      `[data-testid="alert-row-${site}-${node ?? "site"}-${kind}"][data-rule="${rule}"]`,
    );
  }

  rowsOfSite(site: string): Locator {
    return this.page.locator(`[data-testid^="alert-row-${site}-"]`);
  }
}
