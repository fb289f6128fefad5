import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type BenchSection, ensureBuild, percentile, record } from "../kit";

/**
 * Embeds (issue 11), against the production server with a real influxd:
 * 100 viewers of one grant refreshing at the same moment (the data route and
 * the frame refresh, which share one answer per grant, site, range and width
 * class), side by side with 100 viewers of the site page's own chart API
 * (each asking for its own width, the way browsers of different sizes do);
 * and the first-load JavaScript of an embed page next to the site page's.
 */
const VIEWERS = 100;
const ROUNDS = 8;
/** Past the 5 s shared answer and InfluxDB cache: every round starts cold. */
const COLD_GAP_MS = 5_500;
const TURBINES = 20;

async function benchEmbed(): Promise<void> {
  process.stdout.write(
    `\n▶ embed: ${VIEWERS} concurrent viewers of one grant (${TURBINES}-turbine farm, 1 h chart) and embed page JS\n`,
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
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-bench-embed-"));
  const dataDir = path.join(root, "data");
  fs.mkdirSync(dataDir);
  const slug = "wf-bench-embed";
  const fleet = {
    seed: 2027,
    sites: [windFarm(slug, "Bench Wind Embed", 54.4, 6.9, TURBINES, createRng(2027))],
  };
  const password = "bench-admin-password";
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const sim = await startSimulator({ fleet, outDir: path.join(root, "sim"), sharedListeners: 1 });
    stops.push(() => sim.stop());
    const telemetry = await fleetKit.startTelemetryFleet({
      nodes: telemetryNodes(fleet),
      faults: sim.faults,
      intervalMs: 10_000,
      historyMs: 2 * 3_600_000,
    });
    stops.push(() => telemetry.stop());
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
    const grantRes = await fetch(`${base}/api/embed-grants`, {
      method: "POST",
      headers: { cookie, origin: base, "content-type": "application/json" },
      body: JSON.stringify({
        kind: "temperature",
        site: slug,
        origins: ["https://portal.example.com"],
        ranges: ["1h"],
        defaultRange: "1h",
        // The bench measures the shared answer, not the limiter.
        rateLimitPerMinute: 100_000,
      }),
    });
    if (!grantRes.ok) throw new Error(`grant: HTTP ${grantRes.status} ${await grantRes.text()}`);
    const token = ((await grantRes.json()) as { credential: { token: string } }).credential.token;

    /** `VIEWERS` requests at once, `ROUNDS` times, each round cold; latency of every request. */
    const burst = async (url: (viewer: number) => string, headers: Record<string, string> = {}) => {
      const times: number[] = [];
      let bytes = 0;
      for (let round = 0; round < ROUNDS; round++) {
        await new Promise((r) => setTimeout(r, COLD_GAP_MS));
        await Promise.all(
          Array.from({ length: VIEWERS }, async (_, v) => {
            const t0 = performance.now();
            const res = await fetch(url(v), { headers });
            const body = await res.arrayBuffer();
            times.push(performance.now() - t0);
            if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${url(v)}`);
            bytes = body.byteLength;
          }),
        );
      }
      return { p50: percentile(times, 50), p95: percentile(times, 95), bytes };
    };
    const line = (r: { p50: number; p95: number; bytes: number }) =>
      `p50 ${r.p50.toFixed(0)} ms / p95 ${r.p95.toFixed(0)} ms (${(r.bytes / 1024).toFixed(0)} KiB each)`;
    // Viewers' frames differ in size; embeds bucket widths in classes, the site API per pixel.
    const widthOf = (v: number) => 300 + v * 7;
    const data = await burst((v) => `${base}/api/embed/${token}/data?range=1h&width=${widthOf(v)}`);
    record("embed", `data route, ${VIEWERS} viewers of one grant (shared)`, line(data));
    const frame = await burst((v) => `${base}/embed/${token}/frame?range=1h&w=${widthOf(v)}&h=300`);
    record("embed", `frame refresh (server-rendered SVG), ${VIEWERS} viewers`, line(frame));
    const naive = await burst((v) => `${base}/api/telemetry/site/${slug}?range=1h&width=${widthOf(v)}`, {
      cookie,
    });
    record("embed", `vs site chart API, ${VIEWERS} viewers, own widths`, line(naive));

    // First-load JS: what the browser downloads and runs for one embed page vs the site page.
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu"],
    });
    stops.push(() => browser.close());
    const context = await browser.newContext();
    const jsOf = async (url: string, extraHeaders: Record<string, string> = {}) => {
      const page = await context.newPage();
      await page.setExtraHTTPHeaders(extraHeaders);
      await page.goto(url, { waitUntil: "networkidle" });
      const measured = await page.evaluate(() => {
        const external = performance
          .getEntriesByType("resource")
          .filter((e) => (e as PerformanceResourceTiming).initiatorType === "script")
          .map((e) => ({ url: e.name, encoded: (e as PerformanceResourceTiming).encodedBodySize }));
        const inline = [...document.querySelectorAll("script:not([src])")].map((s) => s.textContent ?? "");
        return { external, inline };
      });
      await page.close();
      const inlineGz = measured.inline.reduce((n, s) => n + gzipSync(s).length, 0);
      const externalGz = measured.external.reduce((n, e) => n + e.encoded, 0);
      return { kb: (inlineGz + externalGz) / 1024, files: measured.external.length };
    };
    // A frame inside a portal, as the browser fetches it.
    const embedJs = await jsOf(`${base}/embed/${token}?theme=light&w=600&h=300`, {
      "sec-fetch-dest": "iframe",
    });
    await context.request.post(`${base}/api/auth/login`, {
      data: { username: "admin", password },
      headers: { origin: base },
    });
    const siteJs = await jsOf(`${base}/sites/${slug}`);
    record(
      "embed",
      "first-load JS, gzipped: embed page vs site page",
      `${embedJs.kb.toFixed(1)} KB (${embedJs.files} files + inline) vs ${siteJs.kb.toFixed(0)} KB (${siteJs.files} files); goal ≤ 120 KB`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export const embedSection: BenchSection = {
  name: "embed",
  summary: `embed data p50/p95 for ${VIEWERS} concurrent viewers of one grant (shared) and an embed page's first-load JS`,
  run: benchEmbed,
};
