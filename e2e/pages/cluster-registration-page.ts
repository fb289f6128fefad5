import { expect, type Locator, type Page } from "@playwright/test";

export class ClusterRegistrationPage {
  readonly kubeconfig: Locator;
  readonly file: Locator;
  readonly context: Locator;
  readonly serverAddress: Locator;
  readonly serverAddressField: Locator;
  readonly testButton: Locator;
  readonly result: Locator;
  readonly k3sVersion: Locator;
  readonly rejected: Locator;
  readonly name: Locator;
  readonly save: Locator;
  readonly saveAnyway: Locator;

  constructor(private readonly page: Page) {
    this.kubeconfig = page.getByTestId("kubeconfig-text");
    this.file = page.getByTestId("kubeconfig-file");
    this.context = page.getByLabel("Context");
    this.serverAddress = page.getByLabel("Reachable API server address");
    this.serverAddressField = page.getByTestId("server-override-field");
    this.testButton = page.getByRole("button", { name: "Test connection" });
    this.result = page.getByTestId("connection-result");
    this.k3sVersion = page.getByTestId("k3s-version");
    this.rejected = page.getByTestId("kubeconfig-rejected");
    this.name = page.getByLabel("Cluster name");
    this.save = page.getByRole("button", { name: "Save", exact: true });
    this.saveAnyway = page.getByRole("button", { name: "Save anyway (site offline)" });
  }

  async goto(siteSlug: string) {
    await this.page.goto(`/sites/${siteSlug}/clusters/new`);
    await expect(this.page.getByRole("heading", { name: "Register cluster" })).toBeVisible();
  }

  async paste(kubeconfig: string) {
    await this.kubeconfig.fill(kubeconfig);
  }

  async test() {
    await this.testButton.click();
  }
}
