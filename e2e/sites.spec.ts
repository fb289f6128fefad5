import { expect, test, uniqueName } from "./fixtures";
import { SiteFormPage } from "./pages/site-form-page";
import { SitePage } from "./pages/site-page";

test.describe("sites", () => {
  test("(b) an admin creates a site through the form; client validation and server issues show per field", async ({
    adminPage: page,
    api,
  }) => {
    const name = uniqueName("Truck");
    const form = new SiteFormPage(page);
    await form.gotoNew();

    // Client-side: the same zod schema as the API.
    await form.submit.click();
    await expect(form.fieldError(form.name)).toContainText("is required");
    await form.name.fill(name);
    await form.latitude.fill("123");
    await form.labels.fill("fleet=north\nnot a label");
    await form.submit.click();
    await expect(form.fieldError(form.latitude)).toContainText("between -90 and 90");
    await expect(form.fieldError(form.labels)).toContainText("line 2: write key=value");

    // Server-side issue (slug taken) lands under the slug field.
    const taken = await api.createSite({ name: uniqueName("Taken"), kind: "store" });
    await form.latitude.fill("52.52");
    await form.longitude.fill("13.405");
    await form.labels.fill("fleet=north\nregion=eu-central");
    await form.slug.fill(taken.slug);
    await form.kind.selectOption("vehicle");
    await expect(form.contactMode("Intermittent")).toBeChecked();
    await form.offlineWindows().getByRole("button", { name: "Add window" }).click();
    await form.maxSilence.fill("240");
    await form.submit.click();
    await expect(form.fieldError(form.slug)).toContainText("already taken");

    await form.slug.fill("");
    await form.submit.click();
    const site = new SitePage(page);
    await expect(site.heading).toHaveText(name);
    await expect(page).toHaveURL(new RegExp(`/sites/${name.toLowerCase()}$`));
    await expect(site.facts).toContainText("Vehicle");
    await expect(site.facts).toContainText("52.5200, 13.4050");
    await expect(site.facts).toContainText("region=eu-central");
    await expect(site.facts).toContainText("22:00–06:00 UTC");
    await expect(site.facts).toContainText("240 min");
    await expect(page.getByTestId("no-clusters")).toBeVisible();

    // It is listed and searchable.
    await page.goto("/sites");
    await page.getByLabel("Search sites").fill(name);
    await expect(page.getByTestId("site-count")).toContainText("Showing 1 of 1 site");
    await expect(page.getByTestId("site-table").getByRole("link", { name })).toBeVisible();
    await expect(page).toHaveURL(/\?q=/);
  });

  test("sites list: kind filter and keyset 'load more'", async ({ adminPage: page, api }) => {
    const prefix = uniqueName("factory-batch");
    for (let i = 0; i < 52; i++)
      await api.createSite({ name: `${prefix} ${String(i).padStart(2, "0")}`, kind: "factory" });
    await page.goto(`/sites?q=${encodeURIComponent(prefix)}`);
    await expect(page.getByTestId("site-count")).toContainText("Showing 50 of 52 sites");
    await page.getByRole("button", { name: /Load more \(2 left\)/ }).click();
    await expect(page.getByTestId("site-count")).toContainText("Showing 52 of 52 sites");
    await page.getByLabel("Kind").selectOption("store");
    await expect(page.getByTestId("site-count")).toContainText("Showing 0 of 0 sites");
    await expect(page.getByText("No site matches these filters.")).toBeVisible();
  });

  test("an admin edits and deletes a site (with confirmation)", async ({ adminPage: page, api }) => {
    const created = await api.createSite({ name: uniqueName("Edit me"), kind: "store" });
    await page.goto(`/sites/${created.slug}/edit`);
    const form = new SiteFormPage(page);
    await form.name.fill(`${created.name} renamed`);
    await form.submit.click();
    const site = new SitePage(page);
    await expect(site.heading).toHaveText(`${created.name} renamed`);

    await site.deleteSite.click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("Delete");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toBeHidden();
    await site.deleteSite.click();
    await dialog.getByRole("button", { name: "Delete site and its clusters" }).click();
    await expect(page).toHaveURL(/\/sites$/);
    const res = await page.request.get(`/api/sites/${created.id}`);
    expect(res.status()).toBe(404);
  });

  test("an unknown site shows the not-found page", async ({ adminPage: page }) => {
    await page.goto("/sites/does-not-exist-anywhere");
    await expect(page.getByRole("heading", { name: "No such site" })).toBeVisible();
  });
});
