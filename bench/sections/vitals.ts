import fs from "node:fs";
import path from "node:path";
import { type BenchSection, ensureBuild, freshDataDir, percentile, record } from "../kit";

// Web vitals in Chromium at 10,000 sites: LCP, CLS and an INP-like number
// (typing in the control center's search box) for `/` and a site page, plus
// the JavaScript each page needs to start (compressed bytes of the <script src>
// tags, as served by `next start`). The fleet is written straight into the
// database (one cluster per site, polled "just now", some stale, unreachable or
// with a NotReady node): what the pages render, without 10,000 simulated
// clusters to keep alive. The collector is off, so nothing moves while measuring.

/** 10,000 by default; a smaller fleet first tells how long the exclusive 10,000-site run takes. */
const SITES = Number(process.env.OUTPOST_BENCH_VITALS_SITES ?? 10_000);
const LOADS = 5;
const GOALS = { lcpMs: 2_500, cls: 0.1, inpMs: 200, jsKb: 200 };

type Vitals = { lcp: number; cls: number; events: { name: string; duration: number; id: number }[] };

export async function seedFleet(count: number): Promise<string> {
  const { db } = await import("@/lib/db/client");
  const now = Date.now();
  const kinds = [
    "store",
    "store",
    "store",
    "store",
    "store",
    "store",
    "vehicle",
    "factory",
    "wind-farm",
    "other",
  ];
  let sample = "";
  for (let start = 0; start < count; start += 500) {
    const sites = Array.from({ length: Math.min(500, count - start) }, (_, j) => {
      const i = start + j;
      const kind = kinds[i % kinds.length] ?? "store";
      // Europe and North America, spread like a retail chain.
      const isEu = i % 3 !== 0;
      return {
        id: `site-${i}`,
        slug: `${kind}-${String(i).padStart(5, "0")}`,
        name: `${kind === "store" ? "Store" : kind} ${i}`,
        kind,
        latitude: isEu ? 36 + ((i * 7919) % 2200) / 100 : 28 + ((i * 104729) % 2000) / 100,
        longitude: isEu ? -9 + ((i * 6007) % 3300) / 100 : -122 + ((i * 3571) % 5000) / 100,
        labels: JSON.stringify({ region: isEu ? "eu" : "na", tier: String(i % 4) }),
      };
    });
    await db().site.createMany({ data: sites });
    await db().cluster.createMany({
      data: sites.map((s) => ({
        id: `cl-${s.id}`,
        siteId: s.id,
        name: "k3s",
        // One API server per cluster (a cluster's server + TLS name + name is unique).
        server: `https://10.${(Number(s.id.slice(5)) >> 8) & 255}.${Number(s.id.slice(5)) & 255}.1:6443`,
        contextName: "default",
        authKind: "token",
        kubeconfigEnc: "unused (collector off)",
      })),
    });
    await db().clusterStatus.createMany({
      data: sites.map((s, j) => {
        const i = start + j;
        // 3 % unreachable, 3 % stale, 2 % with a NotReady node, the rest healthy.
        const state =
          i % 33 === 0 ? "unreachable" : i % 33 === 1 ? "stale" : i % 50 === 2 ? "notready" : "ok";
        const seenAgo = state === "unreachable" ? 3_600_000 : state === "stale" ? 45_000 : 5_000;
        const seen = new Date(now - seenAgo);
        const nodes = 1 + (i % 3);
        const summary = {
          observedAt: seen.toISOString(),
          nodeCount: nodes,
          readyCount: state === "notready" ? nodes - 1 : nodes,
          notReady:
            state === "notready"
              ? [{ name: `n${nodes}`, status: "False", reason: "KubeletNotReady", since: seen.toISOString() }]
              : [],
          cordoned: [],
          pressure: [],
          workloadProblemCount: 0,
          workloadProblems: [],
          warningEventCount: 0,
        };
        return {
          clusterId: `cl-${s.id}`,
          lastAttemptAt: new Date(now - 2_000),
          lastSuccessAt: seen,
          lastErrorAt: state === "unreachable" || state === "stale" ? new Date(now - 2_000) : null,
          lastErrorClass: state === "unreachable" || state === "stale" ? "timeout" : null,
          lastErrorMessage: state === "unreachable" || state === "stale" ? "connect timed out" : null,
          consecutiveFailures: state === "unreachable" ? 40 : state === "stale" ? 3 : 0,
          summary: JSON.stringify(summary),
        };
      }),
    });
    sample ||= sites[0]?.slug ?? "";
  }
  // Rows written around Outpost's writers: bring the per-site fleet summary up to date, as the
  // worker host would (the bench's server runs without it, so nothing moves while measuring).
  const { refreshAhead } = await import("@/lib/fleet/summary/freshness");
  await refreshAhead(() => Date.now());
  return sample;
}

async function benchVitals(): Promise<void> {
  process.stdout.write(
    `\n▶ vitals: web vitals and first-load JS in chromium at ${SITES.toLocaleString("en")} sites\n`,
  );
  ensureBuild();
  const dataDir = await freshDataDir("outpost-bench-vitals-");
  const seedStart = performance.now();
  const siteSlug = await seedFleet(SITES).catch((error: unknown) => {
    // A failed seed leaves no data directory behind either.
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  record(
    "vitals",
    `seed ${SITES.toLocaleString("en")} sites into the database`,
    (performance.now() - seedStart) / 1000,
    "s",
  );
  const [{ chromium }, kit] = await Promise.all([
    import("@playwright/test"),
    import("@/lib/testing/telemetry-fleet"),
  ]);
  const password = "bench-admin-password";
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const server = await kit.startOutpostServer({
      dataDir,
      logFile: path.join(dataDir, "server.log"),
      env: {
        OUTPOST_ADMIN_PASSWORD: password,
        OUTPOST_COLLECTOR: "off",
        OUTPOST_LOG_LEVEL: "error",
      },
    });
    stops.push(() => server.stop());
    const base = server.baseUrl;
    const browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    stops.push(() => browser.close());

    /** One cold load in a fresh context (empty cache: first-load JS is really loaded). */
    const load = async (url: string, typeInSearch: boolean) => {
      const context = await browser.newContext({
        viewport: { width: 1360, height: 900 },
        colorScheme: "dark",
      });
      try {
        const login = await context.request.post(`${base}/api/auth/login`, {
          data: { username: "admin", password },
          headers: { origin: base },
        });
        if (!login.ok()) throw new Error(`login failed: HTTP ${login.status()}`);
        const page = await context.newPage();
        await page.addInitScript(() => {
          // First-load JS = the scripts the server's HTML names (modern browsers skip noModule ones);
          // chunks loaded later (on-demand modules, link prefetches) are counted apart.
          document.addEventListener("DOMContentLoaded", () => {
            (window as unknown as { __htmlScripts: string[] }).__htmlScripts = [
              ...document.querySelectorAll("script[src]"),
            ]
              .filter((s) => !(s as HTMLScriptElement).noModule)
              .map((s) => (s as HTMLScriptElement).src);
          });
          const v: Vitals = { lcp: 0, cls: 0, events: [] };
          (window as unknown as { __vitals: Vitals }).__vitals = v;
          new PerformanceObserver((l) => {
            for (const e of l.getEntries())
              v.lcp = (e as PerformanceEntry & { renderTime?: number }).renderTime || e.startTime;
          }).observe({ type: "largest-contentful-paint", buffered: true });
          new PerformanceObserver((l) => {
            for (const e of l.getEntries() as (PerformanceEntry & {
              value: number;
              hadRecentInput: boolean;
            })[])
              if (!e.hadRecentInput) v.cls += e.value;
          }).observe({ type: "layout-shift", buffered: true });
          new PerformanceObserver((l) => {
            for (const e of l.getEntries() as (PerformanceEntry & { interactionId: number })[])
              v.events.push({ name: e.name, duration: e.duration, id: e.interactionId });
          }).observe({ type: "event", buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
        });
        await page.goto(`${base}${url}`, { waitUntil: "load" });
        await page.waitForLoadState("networkidle");
        // Late shifts count too (map outlines, lists arriving): give them time to happen.
        await page.waitForTimeout(1_500);
        const beforeInput = await page.evaluate(() => {
          const v = (window as unknown as { __vitals: Vitals }).__vitals;
          const inHtml = new Set((window as unknown as { __htmlScripts: string[] }).__htmlScripts);
          const scripts = performance
            .getEntriesByType("resource")
            .filter((r) => /\.js(\?|$)/.test(new URL(r.name).pathname) || inHtml.has(r.name));
          // No helper functions in here: tsx would wrap them in a __name() the page does not have.
          let js = 0;
          let jsAll = 0;
          for (const r of scripts) {
            const size = (r as PerformanceResourceTiming).encodedBodySize;
            jsAll += size;
            if (inHtml.has(r.name)) js += size;
          }
          return { lcp: v.lcp, cls: v.cls, js, jsAll };
        });
        let inp = Number.NaN;
        let filteredMs = Number.NaN;
        if (typeInSearch) {
          const box = page.locator("#fleet-q");
          await box.click();
          const typedAt = Date.now();
          const answer = page.waitForResponse(
            (r) => r.url().includes("/api/fleet/health") && r.url().includes("q="),
          );
          await box.pressSequentially("store-0042", { delay: 60 });
          await answer;
          await page
            .getByTestId("fleet-count")
            .filter({ hasText: /match the filters/ })
            .waitFor();
          filteredMs = Date.now() - typedAt;
          await page.waitForTimeout(300);
          inp = await page.evaluate(() => {
            const v = (window as unknown as { __vitals: Vitals }).__vitals;
            // One interaction = the longest of its events (keydown, keypress, input, keyup).
            const byId = new Map<number, number>();
            for (const e of v.events) if (e.id > 0) byId.set(e.id, Math.max(byId.get(e.id) ?? 0, e.duration));
            return Math.max(0, ...byId.values());
          });
        }
        return { ...beforeInput, inp, filteredMs };
      } finally {
        await context.close();
      }
    };

    for (const [label, url, isTyped] of [
      ["/ (control center)", "/", true],
      [`site page (/sites/${siteSlug})`, `/sites/${siteSlug}`, false],
    ] as const) {
      await load(url, false); // warm-up: server code paths
      const runs: Awaited<ReturnType<typeof load>>[] = [];
      for (let i = 0; i < LOADS; i++) runs.push(await load(url, isTyped));
      const med = (pick: (r: Awaited<ReturnType<typeof load>>) => number) => percentile(runs.map(pick), 50);
      record(
        "vitals",
        `${label}: LCP (median of ${LOADS}; goal ≤ ${GOALS.lcpMs} ms)`,
        med((r) => r.lcp),
        "ms",
      );
      record("vitals", `${label}: CLS (median; goal ≤ ${GOALS.cls})`, med((r) => r.cls).toFixed(3));
      record(
        "vitals",
        `${label}: first-load JS (scripts of the HTML), compressed (goal for / ≤ ${GOALS.jsKb} KB)`,
        med((r) => r.js) / 1024,
        "KB",
      );
      record(
        "vitals",
        `${label}: all JS fetched by load + 1.5 s (on-demand chunks, link prefetches)`,
        med((r) => r.jsAll) / 1024,
        "KB",
      );
      if (isTyped) {
        record(
          "vitals",
          `${label}: INP-like, slowest keystroke typing a filter (goal ≤ ${GOALS.inpMs} ms)`,
          med((r) => r.inp),
          "ms",
        );
        record(
          "vitals",
          `${label}: typing → filtered list on screen (300 ms debounce incl.)`,
          med((r) => r.filteredMs),
          "ms",
        );
      }
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export const vitalsSection: BenchSection = {
  name: "vitals",
  summary: "LCP, CLS, INP-like and first-load JS of / and a site page in Chromium at 10,000 sites",
  run: benchVitals,
};
