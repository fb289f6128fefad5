import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BenchSection, benchServerNodeArgs, ensureBuild, percentile, record } from "../kit";

/**
 * Chart render time: the site page of a 20-turbine wind farm (21 clusters, 23 nodes) with 7 days of
 * telemetry in a real influxd, opened in Debian chromium. Measured in the browser from navigation
 * start to the temperature heatmap and the farm's line being drawn, per range; loads are spaced past
 * Outpost's 5 s InfluxDB query cache so every one queries InfluxDB. Three ways side by side: the
 * first view streamed with the page for the remembered plot width, the same on a first visit (no
 * cookie: the server assumes the default width), and the browser asking after hydration (the
 * server's view is for another width, as on a window narrower than the default). Beside it, in the
 * same run, what the old single response (every chart of the page) cost InfluxDB to answer.
 * BENCH_PAGE_RANGES=24h (comma-separated) measures only those ranges. BENCH_PAGE_TRACE_DIR=/tmp/x
 * writes a Chromium performance trace (DevTools' Performance panel opens it; JS samples included)
 * of one more load of each range and way (not in the medians), for where the main thread's time goes.
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
      nodeArgs: benchServerNodeArgs(),
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
    const { CHART_WIDTH_COOKIE, DEFAULT_CHART_WIDTH } = await import("@/lib/queries/telemetry");
    /** A remembered width half the plot's at this window (1,000 px): the server's view is not used. */
    const OTHER_WIDTH = 500;
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
    type Way = "asked" | "first" | "streamed";
    /** The width the page itself remembered (set by the "asked" and "first" loads). */
    let rememberedWidth: string | undefined;
    /**
     * One cold page load of `range` (in the address). "streamed": the plot width remembered in its
     * cookie, so the server starts the temperature view with the page. "first": a first visit, no
     * cookie, the server starts it for the default width. "asked": the remembered width is not the
     * plot's, so the browser discards the streamed view and asks once its scripts run (the path of
     * a window narrower than the default; before, every first visit). Drawn = the temperature
     * heatmap painted every node's row and the farm's spread line is on screen (the plain SVG drawn
     * until recharts has loaded, or recharts' own); recharts' interactive line is timed beside it.
     */
    const traceDir = process.env.BENCH_PAGE_TRACE_DIR;
    if (traceDir) fs.mkdirSync(traceDir, { recursive: true });
    const load = async (range: string, way: Way, tracePath?: string) => {
      await context.clearCookies({ name: CHART_WIDTH_COOKIE });
      if (way === "asked")
        await context.addCookies([{ name: CHART_WIDTH_COOKIE, value: String(OTHER_WIDTH), url: base }]);
      if (way === "streamed" && rememberedWidth !== undefined)
        await context.addCookies([{ name: CHART_WIDTH_COOKIE, value: rememberedWidth, url: base }]);
      const page = await context.newPage();
      try {
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
        // Every frame from navigation on: when the heatmap, the farm's line (the SVG drawn before
        // recharts has loaded, or recharts' own) and recharts' line first showed, on the page's own
        // clock. A string: tsx would wrap named functions in a helper the page does not have.
        await page.addInitScript(`(() => {
          const rows = ${JSON.stringify(String(nodes.length))};
          window.drawnAt = {};
          const d = (el) => (el && el.getAttribute("d")) || "";
          const frame = () => {
            const at = performance.now();
            const w = window.drawnAt;
            const canvas = document.querySelector("[data-testid=temperature-heatmap] canvas");
            if (w.heatmap === undefined && canvas && canvas.getAttribute("data-drawn") === rows) w.heatmap = at;
            const spread = [...document.querySelectorAll("[data-testid=temperature-panel] figure")].find(
              (f) => /across the farm/.test((f.querySelector("h3") || {}).textContent || ""),
            );
            const recharts = spread ? d(spread.querySelector("path.recharts-line-curve")).length > 100 : false;
            const preview = spread
              ? d(spread.querySelector("[data-testid=plot-preview] g.series path[fill=none]")).length > 100
              : false;
            if (w.line === undefined && (recharts || preview)) w.line = at;
            if (w.recharts === undefined && recharts) w.recharts = at;
            if (w.recharts === undefined || w.heatmap === undefined) requestAnimationFrame(frame);
          };
          requestAnimationFrame(frame);
        })();`);
        if (tracePath)
          await browser.startTracing(page, {
            path: tracePath,
            categories: [
              "devtools.timeline",
              "disabled-by-default-devtools.timeline",
              "v8.execute",
              "disabled-by-default-v8.cpu_profiler",
              "blink.user_timing",
              "loading",
            ],
          });
        await page.goto(`${base}/sites/${slug}?range=${range}`, { waitUntil: "commit" });
        const drawn = await page.waitForFunction(
          () => {
            const d = (
              window as unknown as { drawnAt: { heatmap?: number; line?: number; recharts?: number } }
            ).drawnAt;
            return d.heatmap !== undefined && d.recharts !== undefined ? d : false;
          },
          undefined,
          { polling: "raf", timeout: 60_000 },
        );
        const at = (await drawn.jsonValue()) as { heatmap: number; line: number; recharts: number };
        const ms = Math.max(at.heatmap, at.line);
        // Give late work a moment to show as long tasks (the tab "freezing").
        await page.waitForTimeout(500);
        const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
        if (tracePath) await browser.stopTracing();
        // Where the time before the chart goes: the server's HTML, then the scripts.
        const nav = await page.evaluate(() => {
          const n = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          return { ttfb: n?.responseStart ?? Number.NaN, dcl: n?.domContentLoadedEventEnd ?? Number.NaN };
        });
        const width = (await context.cookies(base)).find((c) => c.name === CHART_WIDTH_COOKIE)?.value;
        return { ms, at, sentMs, receivedMs, longTasks, nav, width };
      } finally {
        await page.close();
      }
    };
    const median = (xs: number[]) => {
      const known = xs.filter((x) => Number.isFinite(x));
      return known.length === 0 ? "—" : percentile(known, 50).toFixed(0);
    };
    const wanted = (process.env.BENCH_PAGE_RANGES ?? "1h,24h,7d").split(",");
    for (const [range, label] of (
      [
        ["1h", "1 h"],
        ["24h", "24 h"],
        ["7d", "7 days"],
      ] as const
    ).filter(([r]) => wanted.includes(r))) {
      let width: string | undefined;
      for (const way of ["asked", "first", "streamed"] as const) {
        await load(range, way); // warm-up: server code paths, browser cache of the page's assets, the width cookie
        const times: number[] = [];
        const sent: number[] = [];
        const received: number[] = [];
        const longest: number[] = [];
        const ttfb: number[] = [];
        const dcl: number[] = [];
        const heatmapAt: number[] = [];
        const rechartsAt: number[] = [];
        for (let i = 0; i < LOADS; i++) {
          await new Promise((r) => setTimeout(r, QUERY_CACHE_MS + 500));
          const last = await load(range, way);
          times.push(last.ms);
          sent.push(last.sentMs);
          received.push(last.receivedMs);
          longest.push(Math.max(0, ...last.longTasks));
          ttfb.push(last.nav.ttfb);
          dcl.push(last.nav.dcl);
          heatmapAt.push(last.at.heatmap);
          rechartsAt.push(last.at.recharts);
          width = last.width ?? width;
          if (way !== "streamed" && last.width !== undefined && last.width !== String(OTHER_WIDTH))
            rememberedWidth = last.width;
        }
        if (traceDir) {
          // One more load, traced, outside the medians: tracing slows the page down.
          await new Promise((r) => setTimeout(r, QUERY_CACHE_MS + 500));
          await load(range, way, path.join(traceDir, `page-${range}-${way}.json`));
        }
        const how = {
          streamed: "first view streamed with the page (remembered width)",
          first: "first visit, streamed for the default width",
          asked: "streamed view for another width: browser asks after hydration",
        }[way];
        record(
          "page",
          `[${label}] ${how}: navigation → heatmap + farm line drawn (median of ${LOADS})`,
          `${percentile(times, 50).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
        );
        record(
          "page",
          `[${label}]   heatmap drawn / recharts' interactive line drawn at`,
          `${median(heatmapAt)} / ${median(rechartsAt)} ms (medians)`,
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
      record(
        "page",
        `[${label}] plot width the page measured (default for a first visit ${DEFAULT_CHART_WIDTH})`,
        `${width ?? "—"} px`,
      );
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
