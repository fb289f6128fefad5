import { expect, type Locator, type Page } from "@playwright/test";

/** One chart of components/charts/time-series-chart.tsx: a <figure> named by its title. */
export class TelemetryChart {
  readonly legend: Locator;
  /** the lines recharts drew (one per visible series), not the min–max bands */
  readonly curves: Locator;
  /** the visually hidden summary table: one row per series */
  readonly summary: Locator;

  constructor(readonly figure: Locator) {
    this.legend = figure.getByRole("group", { name: "Show or hide series" }).getByRole("button");
    this.curves = figure.locator("svg path.recharts-line-curve");
    this.summary = figure.getByRole("table", { name: "Summary per series" });
  }

  async legendNames(): Promise<string[]> {
    return (await this.legend.allTextContents()).map((t) => t.trim());
  }

  /** Line segments per drawn curve ("M x,y L x,y …"), so an empty or one-point path shows as 0. */
  async segmentsPerCurve(): Promise<number[]> {
    return this.curves.evaluateAll((paths) =>
      paths.map((p) => (p.getAttribute("d") ?? "").match(/L/g)?.length ?? 0),
    );
  }

  /** How much of the plot's width the drawn lines span, 0–1. */
  async horizontalCoverage(): Promise<number> {
    return this.figure.evaluate((fig) => {
      const grid = fig.querySelector(".recharts-cartesian-grid");
      const curves = [...fig.querySelectorAll<SVGGraphicsElement>("path.recharts-line-curve")];
      if (!grid || curves.length === 0) return 0;
      const plot = grid.getBoundingClientRect();
      const left = Math.min(...curves.map((c) => c.getBoundingClientRect().left));
      const right = Math.max(...curves.map((c) => c.getBoundingClientRect().right));
      return plot.width > 0 ? (right - left) / plot.width : 0;
    });
  }

  /** Latest / Lowest / Highest of one series' summary row, as numbers in the chart's unit. */
  async stats(series: string): Promise<{ latest: number; lowest: number; highest: number }> {
    const row = this.summary
      .getByRole("row")
      .filter({ has: this.figure.page().getByRole("rowheader", { name: series, exact: true }) });
    const texts = await row.getByRole("cell").allTextContents();
    const num = (text: string | undefined) => Number.parseFloat((text ?? "").replace(/[^\d.-]/g, ""));
    // Columns: Latest, Latest at, Lowest, Highest, Gaps
    return { latest: num(texts[0]), lowest: num(texts[2]), highest: num(texts[3]) };
  }
}

/** A heatmap of components/charts/heatmap.tsx: a <figure> with a row (button) per node over a canvas. */
export class HeatmapChart {
  readonly rows: Locator;
  readonly canvas: Locator;
  /** "Numbers per node": the heatmap as a table */
  readonly table: Locator;

  constructor(readonly figure: Locator) {
    this.rows = figure.getByTestId("heatmap-row");
    this.canvas = figure.locator("canvas");
    this.table = figure.getByRole("table");
  }

  async rowNames(): Promise<string[]> {
    return this.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-row") ?? ""));
  }

  rowButton(node: string): Locator {
    return this.figure.locator(`[data-testid=heatmap-row][data-row="${node}"]`).getByRole("button");
  }
}

/** The "Telemetry" section of a site page (components/telemetry/site-telemetry.tsx and its panels). */
export class SiteTelemetryPanel {
  readonly section: Locator;
  /** few nodes: one line per node (a farm: the heatmap, see `heatmap`) */
  readonly temperature: TelemetryChart;
  readonly heatmap: HeatmapChart;
  /** a farm's spread (median node, coolest–hottest band) with the selected nodes' lines */
  readonly spread: TelemetryChart;
  readonly timeline: Locator;
  readonly timelineRows: Locator;
  readonly showRtt: Locator;
  readonly rtt: TelemetryChart;
  readonly unavailable: Locator;

  constructor(private readonly page: Page) {
    this.section = page.getByRole("region", { name: "Telemetry", exact: true });
    const temperature = this.section.getByTestId("temperature-panel");
    this.temperature = new TelemetryChart(
      temperature.getByRole("figure", { name: "Board temperature per node" }),
    );
    this.heatmap = new HeatmapChart(temperature.getByTestId("temperature-heatmap"));
    this.spread = new TelemetryChart(
      temperature.getByRole("figure", { name: /across the farm|against the farm/ }),
    );
    const connectivity = this.section.getByTestId("connectivity-panel");
    this.timeline = connectivity.getByTestId("connectivity-timeline");
    this.timelineRows = this.timeline.getByTestId("timeline-row");
    this.showRtt = connectivity.getByRole("button", { name: /round-trip times/ });
    this.rtt = new TelemetryChart(connectivity.getByRole("figure", { name: "Round-trip time to the hub" }));
    // Every panel says it: the first is enough.
    this.unavailable = this.section
      .getByRole("status")
      .filter({ hasText: /Telemetry unavailable/i })
      .first();
  }

  timelineRowButton(node: string): Locator {
    return this.timeline.locator(`[data-testid=timeline-row][data-row="${node}"]`).getByRole("button");
  }

  rangeButton(label: string): Locator {
    return this.section
      .getByRole("group", { name: "Time range" })
      .getByRole("button", { name: label, exact: true });
  }

  /** Clicks a range and returns the temperature data the browser fetched for it. */
  async chooseRange(label: string, range: string): Promise<{ pointCount: number; intervalMs: number }> {
    const response = this.page.waitForResponse((r) => {
      if (!r.url().includes("/api/telemetry/site/")) return false;
      const q = new URL(r.url()).searchParams;
      return q.get("range") === range && q.get("view") === "temperature";
    });
    await this.rangeButton(label).click();
    const res = await response;
    expect(res.status()).toBe(200);
    await expect(this.rangeButton(label)).toHaveAttribute("aria-pressed", "true");
    return (await res.json()) as { pointCount: number; intervalMs: number };
  }
}

/** The control center's "Hottest nodes" card (components/telemetry/hottest-nodes.tsx). */
export class HottestNodesPanel {
  readonly section: Locator;
  readonly rows: Locator;
  readonly unavailable: Locator;

  constructor(page: Page) {
    this.section = page.getByRole("region", { name: "Hottest nodes" });
    this.rows = this.section.locator("tbody tr");
    this.unavailable = this.section.getByRole("status").filter({ hasText: /Telemetry unavailable/i });
  }

  /** The row of one node of one site (node names repeat across sites). */
  row(node: string, siteName: string): Locator {
    return this.rows
      .filter({ has: this.section.page().getByRole("rowheader", { name: node, exact: true }) })
      .filter({ hasText: siteName });
  }
}
