import type { Locator, Page } from "@playwright/test";

/** The site page's views for many nodes: health grid, temperature heatmap, connectivity timeline. */
export class SiteViews {
  readonly grid: Locator;
  readonly tiles: Locator;
  readonly temperature: Locator;
  readonly heatmap: Locator;
  readonly heatmapRows: Locator;
  readonly heatmapCanvas: Locator;
  readonly connectivity: Locator;
  readonly timeline: Locator;
  readonly timelineRows: Locator;

  constructor(readonly page: Page) {
    this.grid = page.getByTestId("health-grid");
    this.tiles = this.grid.locator("[data-testid^=tile-][data-status]");
    this.temperature = page.getByTestId("temperature-panel");
    this.heatmap = page.getByTestId("temperature-heatmap");
    this.heatmapRows = this.heatmap.getByTestId("heatmap-row");
    this.heatmapCanvas = this.heatmap.locator("canvas");
    this.connectivity = page.getByTestId("connectivity-panel");
    this.timeline = page.getByTestId("connectivity-timeline");
    this.timelineRows = this.timeline.getByTestId("timeline-row");
  }

  tile(cluster: string): Locator {
    return this.grid.getByTestId(`tile-${cluster}`);
  }

  heatmapRow(node: string): Locator {
    return this.heatmap.locator(`[data-testid=heatmap-row][data-row="${node}"]`);
  }

  timelineRow(node: string): Locator {
    return this.timeline.locator(`[data-testid=timeline-row][data-row="${node}"]`);
  }

  /** The chart under the heatmap: the farm's spread and the selected nodes' lines. */
  get spreadChart(): Locator {
    return this.temperature.getByRole("figure", { name: /across the farm|against the farm/ });
  }
}
