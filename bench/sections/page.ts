import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BenchSection, ensureBuild, percentile, record } from "../kit";

/**
 * Chart render time: the site page of a 20-turbine wind farm (21 clusters, 23 nodes) with 7 days of
 * telemetry in a real influxd, opened in Debian chromium. Measured in the browser from navigation
 * start to the temperature heatmap and the farm's line being drawn, per range; loads are spaced past
 * Outpost's 5 s InfluxDB query cache so every one queries InfluxDB. Two ways side by side: the first
 * view streamed with the page (range in the address, plot width remembered) and the browser asking
 * after hydration (no remembered width). Beside it, in the same run, what the old single response
 * (every chart of the page) cost InfluxDB to answer.
 */
async function benchPage(): Promise<void> {
  const TURBINES = 20;
  const LOADS = 5;
  const QUERY_CACHE_MS = 5_000;
  process.stdout.write(
    `\n▶ page: site page of a ${TURBINES}-turbine wind farm in chromium, 24 h of telemetry in InfluxDB\n`,
  );
  ensureBuild();
  const [{ chromium }, { telemetryNodes, windFarm }, { createRng }, { startSimulator }, fleetKit] =
    await Promise.all([
      import("@playwright/test"),
      import("@/lib/simulator/fleet"),
      import("@/lib/simulator/prng"),
      import("@/lib/simulator/simulator"),
      import("@/lib/testing/telemetry-fleet"),
    ]);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-bench-page-"));
  const dataDir = path.join(root, "data");
  fs.mkdirSync(dataDir);
  const slug = "wf-bench-20";
  const fleet = {
    seed: 2026,
    sites: [windFarm(slug, "Bench Wind 20", 54.4, 6.9, TURBINES, createRng(2026))],
  };
  const nodes = telemetryNodes(fleet);
  const password = "bench-admin-password";
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const sim = await startSimulator({ fleet, outDir: path.join(root, "sim"), sharedListeners: 1 });
    stops.push(() => sim.stop());
    const telemetry = await fleetKit.startTelemetryFleet({
      nodes,
      faults: sim.faults,
      intervalMs: 10_000,
      historyMs: 7 * 24 * 3_600_000,
    });
    stops.push(() => telemetry.stop());
    record(
      "page",
      `backfill 7 days for ${nodes.length} nodes at 10 s`,
      `${telemetry.history.points.toLocaleString("en")} points`,
    );
    const server = await fleetKit.startOutpostServer({
      dataDir,
      logFile: path.join(root, "server.log"),
      env: {
        OUTPOST_ADMIN_PASSWORD: password,
        OUTPOST_ALLOW_LOOPBACK: "1",
        OUTPOST_COLLECTOR: "embedded",
        OUTPOST_LOG_LEVEL: "error",
      },
    });
    stops.push(() => server.stop());
    const base = server.baseUrl;
    const cookie = await fleetKit.adminCookie(base, "admin", password);
    await fleetKit.importFleetDirectory(base, cookie, path.join(root, "sim"), [slug], 90_000);
    await fleetKit.registerDefaultDataSource(base, cookie, {
      name: "Bench InfluxDB",
      url: telemetry.influx.url,
      database: telemetry.database,
    });

    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
    stops.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: "dark" });
    const login = await context.request.post(`${base}/api/auth/login`, {
      data: { username: "admin", password },
      headers: { origin: base },
    });
    if (!login.ok()) throw new Error(`bench login failed: HTTP ${login.status()}`);

    const { DEFAULT_MAPPING } = await import("@/lib/telemetry/schemas");
    const queries = await import("@/lib/telemetry/queries");
    const { CHART_WIDTH_COOKIE } = await import("@/lib/queries/telemetry");
    /** What the site page used to ask InfluxDB for on every load, whatever was on screen. */
    const oldWayResponse = async (range: string, intervalMs: number) => {
      const rangeMs = { "1h": 3_600_000, "24h": 86_400_000, "7d": 7 * 86_400_000 }[range] ?? 3_600_000;
      const to = Math.ceil(Date.now() / intervalMs) * intervalMs;
      const scope = { kind: "tag" as const, tag: "site", values: [slug] };
      const statements = [
        queries.temperatureChart(DEFAULT_MAPPING, null, scope, to - rangeMs, to, intervalMs),
        queries.connectivityChart(DEFAULT_MAPPING, null, scope, to - rangeMs, to, intervalMs),
        queries.turbineChart(DEFAULT_MAPPING, null, scope, to - rangeMs, to, intervalMs),
      ].filter((q): q is string => q !== null);
      const started = performance.now();
      const res = await fetch(
        `${telemetry.influx.url}/query?db=${telemetry.database}&epoch=ms&q=${encodeURIComponent(statements.join(";"))}`,
      );
      const text = await res.text();
      const ms = performance.now() - started;
      const body = JSON.parse(text) as { results: { series?: { values: unknown[][] }[] }[] };
      let values = 0;
      for (const r of body.results)
        for (const s of r.series ?? []) for (const row of s.values) values += row.length - 1;
      return { ms, bytes: text.length, values };
    };

    type Body = {
      view: string;
      pointCount: number;
      queryMs: number;
      intervalMs: number;
      nodeCount: number;
      matrix: { buckets: number; rows: unknown[] };
    };
    /**
     * One cold page load of `range`. "streamed" (today): the range in the address and the plot width
     * remembered in its cookie, so the server starts the temperature view with the page. "asked"
     * (before): no remembered width, the browser asks once its scripts run; its chart requests are
     * pinned to `range` (the picker starts at 1 h). Drawn = the temperature heatmap painted every
     * node's row and the farm's spread line is drawn.
     */
    const load = async (range: string, way: "streamed" | "asked") => {
      if (way === "asked") await context.clearCookies({ name: CHART_WIDTH_COOKIE });
      const page = await context.newPage();
      try {
        if (way === "asked")
          await page.route("**/api/telemetry/site/**", (route) => {
            const url = new URL(route.request().url());
            if (url.searchParams.has("range")) url.searchParams.set("range", range);
            return route.continue({ url: url.toString() });
          });
        const isTemperature = (url: string) =>
          url.includes("/api/telemetry/site/") && new URL(url).searchParams.get("view") === "temperature";
        // Resource Timing is skewed for routed requests: time the request from here instead.
        const startedAt = performance.now();
        let sentMs = Number.NaN;
        let receivedMs = Number.NaN;
        page.on("request", (r) => {
          if (isTemperature(r.url()) && Number.isNaN(sentMs)) sentMs = performance.now() - startedAt;
        });
        page.on("requestfinished", (r) => {
          if (isTemperature(r.url()) && Number.isNaN(receivedMs)) receivedMs = performance.now() - startedAt;
        });
        await page.addInitScript(() => {
          const w = window as unknown as { longTasks: number[] };
          w.longTasks = [];
          new PerformanceObserver((list) => {
            for (const e of list.getEntries()) w.longTasks.push(e.duration);
          }).observe({ type: "longtask", buffered: true });
        });
        const address = way === "streamed" ? `/sites/${slug}?range=${range}` : `/sites/${slug}`;
        await page.goto(`${base}${address}`, { waitUntil: "commit" });
        const drawn = await page.waitForFunction(
          (rows) => {
            const canvas = document.querySelector("[data-testid=temperature-heatmap] canvas");
            const spread = [...document.querySelectorAll("[data-testid=temperature-panel] figure")].find(
              (f) => /across the farm/.test(f.querySelector("h3")?.textContent ?? ""),
            );
            const line = spread?.querySelector("path.recharts-line-curve");
            const isDrawn =
              canvas?.getAttribute("data-drawn") === String(rows) &&
              (line?.getAttribute("d") ?? "").length > 100;
            // Since navigation start: the page's own clock.
            return isDrawn ? performance.now() : false;
          },
          nodes.length,
          { polling: "raf", timeout: 60_000 },
        );
        const ms = (await drawn.jsonValue()) as number;
        // Give late work a moment to show as long tasks (the tab "freezing").
        await page.waitForTimeout(500);
        const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
        // Where the time before the chart goes: the server's HTML, then the scripts.
        const nav = await page.evaluate(() => {
          const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          return { ttfb: n?.responseStart ?? Number.NaN, dcl: n?.domContentLoadedEventEnd ?? Number.NaN };
        });
        const width = (await context.cookies(base)).find((c) => c.name === CHART_WIDTH_COOKIE)?.value;
        return { ms, sentMs, receivedMs, longTasks, nav, width };
      } finally {
        await page.close();
      }
    };
    const median = (xs: number[]) => {
      const known = xs.filter((x) => Number.isFinite(x));
      return known.length === 0 ? "—" : percentile(known, 50).toFixed(0);
    };
    for (const [range, label] of [
      ["1h", "1 h"],
      ["24h", "24 h"],
      ["7d", "7 days"],
    ] as const) {
      let width: string | undefined;
      for (const way of ["asked", "streamed"] as const) {
        await load(range, way); // warm-up: server code paths, browser cache of the page's assets, the width cookie
        const times: number[] = [];
        const sent: number[] = [];
        const received: number[] = [];
        const longest: number[] = [];
        const ttfb: number[] = [];
        const dcl: number[] = [];
        for (let i = 0; i < LOADS; i++) {
          await new Promise((r) => setTimeout(r, QUERY_CACHE_MS + 500));
          const last = await load(range, way);
          times.push(last.ms);
          sent.push(last.sentMs);
          received.push(last.receivedMs);
          longest.push(Math.max(0, ...last.longTasks));
          ttfb.push(last.nav.ttfb);
          dcl.push(last.nav.dcl);
          width = last.width ?? width;
        }
        const how =
          way === "streamed" ? "first view streamed with the page" : "before: browser asks after hydration";
        record(
          "page",
          `[${label}] ${how}: navigation → heatmap + farm line drawn (median of ${LOADS})`,
          `${percentile(times, 50).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
        );
        record(
          "page",
          `[${label}]   HTML first byte / DOMContentLoaded at`,
          `${median(ttfb)} / ${median(dcl)} ms (medians)`,
        );
        record(
          "page",
          `[${label}]   temperature request sent / response complete at`,
          `${median(sent)} / ${median(received)} ms (medians; — = none, it came with the page)`,
        );
        record(
          "page",
          `[${label}]   longest main-thread task (median of ${LOADS})`,
          percentile(longest, 50),
          "ms",
        );
      }
      // The view's size and InfluxDB time, as the page's own request for it (past the query cache).
      await new Promise((r) => setTimeout(r, QUERY_CACHE_MS + 500));
      const res = await context.request.get(
        `${base}/api/telemetry/site/${slug}?view=temperature&range=${range}&width=${width ?? 1_000}`,
      );
      const text = await res.text();
      const b = JSON.parse(text) as Body;
      record(
        "page",
        `[${label}] temperature view: ${b.nodeCount} rows × ${b.matrix.buckets} buckets of ${b.intervalMs / 1000} s`,
        `${b.pointCount} values / ${(text.length / 1024).toFixed(0)} KiB / InfluxDB ${b.queryMs} ms`,
      );
      // The old way in the same run: ONE response with every chart of the page (temperature lines
      // for all nodes with min/mean/max, RTT and loss, all 7 turbine metrics), as before issue 13.
      const old = await oldWayResponse(range, b.intervalMs);
      record(
        "page",
        `[${label}] old way (one response, all charts): InfluxDB answer`,
        `${old.values.toLocaleString("en")} values / ${(old.bytes / 1024).toFixed(0)} KiB / ${old.ms.toFixed(0)} ms`,
      );
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const pageSection: BenchSection = {
  name: "page",
  summary:
    "site page chart render time in Chromium (1 h, 24 h, 7 days of a 20-turbine farm), old single response beside it",
  run: benchPage,
};
