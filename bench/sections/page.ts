import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type BenchSection, ensureBuild, percentile, record } from "../kit";

/**
 * Chart render time: the site page of a 20-turbine wind farm (21 clusters, 23 nodes) with 24 h of
 * telemetry in a real influxd, opened in Debian chromium. Measured in the browser from navigation
 * start to the temperature chart's lines being drawn, per range; loads are spaced past Outpost's
 * 5 s InfluxDB query cache so every one queries InfluxDB.
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
      historyMs: 24 * 3_600_000,
    });
    stops.push(() => telemetry.stop());
    record(
      "page",
      `backfill 24 h for ${nodes.length} nodes at 10 s`,
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

    type Body = {
      pointCount: number;
      queryMs: number;
      intervalMs: number;
      temperature: { points: unknown[] }[];
      connectivity: { rtt: { points: unknown[] }[]; loss: { points: unknown[] }[] };
      turbine: { series: { points: unknown[] }[] }[];
    };
    /** One cold page load; the page's telemetry request is pinned to `range` (the picker starts at 1 h). */
    const load = async (range: string) => {
      const page = await context.newPage();
      try {
        await page.route("**/api/telemetry/site/**", (route) => {
          const url = new URL(route.request().url());
          url.searchParams.set("range", range);
          return route.continue({ url: url.toString() });
        });
        // Resource Timing is skewed for routed requests: time the request from here instead.
        const isTelemetry = (url: string) => url.includes("/api/telemetry/site/");
        const startedAt = performance.now();
        let sentMs = Number.NaN;
        let receivedMs = Number.NaN;
        page.on("request", (r) => {
          if (isTelemetry(r.url()) && Number.isNaN(sentMs)) sentMs = performance.now() - startedAt;
        });
        page.on("requestfinished", (r) => {
          if (isTelemetry(r.url()) && Number.isNaN(receivedMs)) receivedMs = performance.now() - startedAt;
        });
        const response = page.waitForResponse((r) => isTelemetry(r.url()));
        await page.goto(`${base}/sites/${slug}`, { waitUntil: "commit" });
        const drawn = await page.waitForFunction(
          (series) => {
            const figure = [...document.querySelectorAll("figure")].find(
              (f) => f.querySelector("h3")?.textContent === "Board temperature per node",
            );
            const curves = figure ? [...figure.querySelectorAll("path.recharts-line-curve")] : [];
            const isDrawn =
              curves.length >= series && curves.every((c) => (c.getAttribute("d") ?? "").length > 100);
            // Since navigation start: the page's own clock.
            return isDrawn ? performance.now() : false;
          },
          nodes.length,
          { polling: "raf", timeout: 60_000 },
        );
        const ms = (await drawn.jsonValue()) as number;
        const res = await response;
        const bytes = (await res.body()).length;
        return { ms, sentMs, receivedMs, body: (await res.json()) as Body, bytes };
      } finally {
        await page.close();
      }
    };
    const sum = (list: { points: unknown[] }[]) => list.reduce((n, s) => n + s.points.length, 0);
    for (const [range, label] of [
      ["1h", "1 h"],
      ["24h", "24 h"],
    ] as const) {
      await load(range); // warm-up: server code paths, browser cache of the page's assets
      const times: number[] = [];
      const sent: number[] = [];
      const received: number[] = [];
      let last: Awaited<ReturnType<typeof load>> | undefined;
      for (let i = 0; i < LOADS; i++) {
        await new Promise((r) => setTimeout(r, QUERY_CACHE_MS + 500));
        last = await load(range);
        times.push(last.ms);
        sent.push(last.sentMs);
        received.push(last.receivedMs);
      }
      record(
        "page",
        `[${label}] navigation → temperature lines drawn (median of ${LOADS})`,
        `${percentile(times, 50).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
      );
      record(
        "page",
        `[${label}]   telemetry request sent / response complete at`,
        `${percentile(sent, 50).toFixed(0)} / ${percentile(received, 50).toFixed(0)} ms (medians)`,
      );
      if (!last) continue;
      const b = last.body;
      const turbinePoints = b.turbine.reduce((n, t) => n + sum(t.series), 0);
      record(
        "page",
        `[${label}] points per chart (${b.intervalMs / 1000} s buckets)`,
        `temperature ${sum(b.temperature)} (${b.temperature.length} series), RTT ${sum(b.connectivity.rtt)}, loss ${sum(b.connectivity.loss)}, turbine ${turbinePoints} (${b.turbine.length} metrics)`,
      );
      record(
        "page",
        `[${label}] API response: points / bytes / InfluxDB query`,
        `${b.pointCount} / ${(last.bytes / 1024).toFixed(0)} KiB / ${b.queryMs} ms`,
      );
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const pageSection: BenchSection = {
  name: "page",
  summary: "site page chart render time in Chromium (1 h and 24 h of a 20-turbine farm)",
  run: benchPage,
};
