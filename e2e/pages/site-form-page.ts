import { expect, type Locator, type Page } from "@playwright/test";

export class SiteFormPage {
  readonly name: Locator;
  readonly slug: Locator;
  readonly kind: Locator;
  readonly latitude: Locator;
  readonly longitude: Locator;
  readonly labels: Locator;
  readonly maxSilence: Locator;
  readonly submit: Locator;
  readonly formError: Locator;

  constructor(private readonly page: Page) {
    this.name = page.getByLabel("Name", { exact: true });
    this.slug = page.getByLabel(/^Slug/);
    this.kind = page.getByLabel("Kind");
    this.latitude = page.getByLabel("Latitude");
    this.longitude = page.getByLabel("Longitude");
    this.labels = page.getByLabel(/^Labels/);
    this.maxSilence = page.getByLabel(/Longest normal silence/);
    this.submit = page.getByRole("button", { name: /Create site|Save changes/ });
    this.formError = page.getByTestId("form-error");
  }

  async gotoNew() {
    await this.page.goto("/sites/new");
    await expect(this.page.getByRole("heading", { name: "New site" })).toBeVisible();
  }

  contactMode(label: "Continuous" | "Intermittent"): Locator {
    return this.page.getByRole("radio", { name: new RegExp(`^${label}`) });
  }

  offlineWindows(): Locator {
    return this.page.getByTestId("offline-windows");
  }

  /** the error text rendered under a field (linked by aria-describedby) */
  fieldError(field: Locator): Locator {
    return field.locator("xpath=ancestor::div[contains(@class,'field')][1]").locator(".field-error");
  }
}
