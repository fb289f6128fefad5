import { expect, type Locator, type Page } from "@playwright/test";

/** The control center at "/": counts, filters, the worst-first list and the map. */
export class ControlCenterPage {
  readonly heading: Locator;
  readonly list: Locator;
  readonly rows: Locator;
  readonly refresh: Locator;
  readonly map: Locator;
  readonly search: Locator;
  readonly kind: Locator;
  readonly label: Locator;
  readonly resultCount: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole("heading", { level: 1 });
    this.list = page.getByTestId("fleet-list");
    this.rows = this.list.locator("tbody tr");
    this.refresh = page.getByTestId("refresh-status");
    this.map = page.getByTestId("fleet-map");
    this.search = page.getByLabel("Search", { exact: true });
    this.kind = page.getByLabel("Kind", { exact: true });
    this.label = page.getByLabel("Label", { exact: true });
    this.resultCount = page.getByTestId("fleet-count");
  }

  async goto(query = "") {
    await this.page.goto(`/${query}`);
    await expect(this.list).toBeVisible();
  }

  row(slug: string): Locator {
    return this.page.getByTestId(`fleet-row-${slug}`);
  }

  headline(slug: string): Locator {
    return this.row(slug).getByTestId("headline");
  }

  since(slug: string): Locator {
    return this.row(slug).getByTestId("since");
  }

  lastSeen(slug: string): Locator {
    return this.row(slug).getByTestId("last-seen");
  }

  count(status: string): Locator {
    return this.page.getByTestId(`count-${status}`);
  }

  mapPoint(slug: string): Locator {
    return this.page.getByTestId(`map-point-${slug}`);
  }
}

/** "45 s" / "3 m" / "2 h 14 m" (lib/health/format formatDuration) back to seconds. */
export function durationSeconds(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+)\s*(d|h|m|s)\b/g)) {
    const n = Number(m[1]);
    total += m[2] === "d" ? n * 86_400 : m[2] === "h" ? n * 3_600 : m[2] === "m" ? n * 60 : n;
  }
  return total;
}
