// `npm run bench`: speed and memory numbers, printed (never asserted). Sections:
//   simulator   one simulator process at 2,000 clusters (RSS, requests/s)
//   collector   100 clusters: Outpost's collector vs a naive sequential sweep
//   fleet       2,000 and 10,000 clusters (several simulator processes): sweep time,
//               CPU s/sweep, RSS, share fresh; overview API p50/p95 and SSR at 10,000 sites
//   telemetry   InfluxDB write throughput and backfill
//   page        site page chart render time in Chromium (1 h and 24 h of a 20-turbine farm)
// Pick sections: `npm run bench -- collector fleet`.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const results: { section: string; metric: string; value: string }[] = [];
function record(section: string, metric: string, value: number | string, unit = ""): void {
  const text =
    typeof value === "number" ? `${Math.round(value * 100) / 100}${unit ? ` ${unit}` : ""}` : value;
  results.push({ section, metric, value: text });
  process.stdout.write(`  ${section.padEnd(10)} ${metric.padEnd(48)} ${text}\n`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function rssOfPid(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** RSS of a process and all its descendants (npx → tsx → node). */
function treeRss(pid: number | undefined): number {
  if (!pid) return 0;
  const children = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .map(Number);
  return rssOfPid(pid) + children.reduce((sum, c) => sum + treeRss(c), 0);
}

const mb = (bytes: number) => bytes / 1024 / 1024;

function runChildBench(section: string, args: string[]): void {
  process.stdout.write(`\n▶ ${section}: ${args.join(" ")}\n`);
  const r = spawnSync("npx", ["tsx", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_OPTIONS: "--expose-gc" },
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0) record(section, "run", `failed (exit ${r.status})`);
}

async function startBenchFleet(
  count: number,
  dir: string,
  prefix: string,
  latencyMs = 0,
): Promise<ChildProcess> {
  const child = spawn(
    "node_modules/.bin/tsx",
    ["lib/simulator/bench-fleet.ts", String(count), dir, prefix, String(latencyMs)],
    // Own process group: tsx runs the simulator in a grandchild, which must stop with it.
    { stdio: ["ignore", "pipe", "inherit"], detached: true },
  );

  await new Promise<void>((resolve, reject) => {
    let buf = "";
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("READY")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`bench fleet exited with ${code}`)));
  });
  return child;
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const c of children) {
    try {
      if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, "SIGTERM");
    } catch {
      c.kill("SIGTERM");
    }
  }
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
  );
}

async function withFleet<T>(
  dataDir: string,
  counts: number[],
  fn: (dirs: string[], sims: ChildProcess[]) => Promise<T>,
  latencyMs = 0,
): Promise<T> {
  const sims: ChildProcess[] = [];
  try {
    const dirs = counts.map((_, i) => path.join(dataDir, `fleet-${i}`));
    for (const [i, count] of counts.entries())
      sims.push(await startBenchFleet(count, dirs[i] as string, `p${i}-`, latencyMs));
    return await fn(dirs, sims);
  } finally {
    await stopAll(sims);
  }
}

async function importDirs(dirs: string[]): Promise<number> {
  const { readFleetDirectory } = await import("@/lib/fleet/import-dir");
  const { importFleet, summarize } = await import("@/lib/fleet/import");
  let total = 0;
  for (const dir of dirs) {
    const s = summarize(await importFleet(readFleetDirectory(dir).items));
    if (s.error > 0) throw new Error(`${s.error} clusters failed to import from ${dir}`);
    total += s.created + s.updated + s.unchanged;
  }
  return total;
}

async function benchCollector(latencyMs: number): Promise<void> {
  const link = latencyMs > 0 ? `${latencyMs} ms added latency (cellular-like)` : "loopback latency";
  process.stdout.write(
    `\n▶ collector: 100 clusters, ${link}: Outpost's collector vs naive sequential list-nodes\n`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-bench-collector-"));
  process.env.OUTPOST_DATA_DIR = dataDir;
  const { resetEnvForTests } = await import("@/lib/env");
  const { resetDbForTests } = await import("@/lib/db/client");
  resetEnvForTests();
  await resetDbForTests();
  await withFleet(
    dataDir,
    [100],
    async (dirs) => {
      const imported = await importDirs(dirs);
      const { Collector } = await import("@/lib/collector/collector");
      const collector = new Collector({
        policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
        concurrency: 32,
      });
      await collector.reload();
      await collector.sweepOnce(); // connections and lazily built clusters warm up
      const sweeps: number[] = [];
      for (let i = 0; i < 3; i++) sweeps.push((await collector.sweepOnce()).ms);
      await collector.stop();
      record(
        "collector",
        `[${link}] sweep of ${imported} clusters, Outpost (median of 3)`,
        percentile(sweeps, 50),
        "ms",
      );

      const { KubeConfig, CoreV1Api } = await import("@kubernetes/client-node");
      const kubeconfigs = dirs.flatMap((d) =>
        fs
          .readdirSync(d, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .flatMap((e) =>
            fs.readdirSync(path.join(d, e.name)).map((f) => fs.readFileSync(path.join(d, e.name, f), "utf8")),
          ),
      );
      const naive: number[] = [];
      for (let round = 0; round < 2; round++) {
        const started = performance.now();
        for (const text of kubeconfigs) {
          const kc = new KubeConfig();
          kc.loadFromString(text);
          await kc.makeApiClient(CoreV1Api).listNode();
        }
        naive.push(performance.now() - started);
      }
      record("collector", `[${link}] same clusters, naive sequential listNode`, naive[1] ?? 0, "ms");
      record(
        "collector",
        `[${link}] speed-up (Outpost reads 3-8 resources per cluster, naive 1)`,
        (naive[1] ?? 0) / Math.max(1, percentile(sweeps, 50)),
        "×",
      );
    },
    latencyMs,
  );
}

async function benchFleet(count: number, processes: number, measureApi: boolean): Promise<void> {
  process.stdout.write(`\n▶ fleet: ${count} clusters in ${processes} simulator process(es)\n`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `outpost-bench-${count}-`));
  process.env.OUTPOST_DATA_DIR = dataDir;
  const { resetEnvForTests } = await import("@/lib/env");
  const { resetDbForTests } = await import("@/lib/db/client");
  resetEnvForTests();
  await resetDbForTests();
  const per = Array.from(
    { length: processes },
    (_, i) => Math.floor(count / processes) + (i < count % processes ? 1 : 0),
  );
  await withFleet(dataDir, per, async (dirs, sims) => {
    const importStart = performance.now();
    const imported = await importDirs(dirs);
    record("fleet", `import ${imported} kubeconfigs`, (performance.now() - importStart) / 1000, "s");
    const { Collector } = await import("@/lib/collector/collector");
    const collector = new Collector({
      policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
      concurrency: 64,
    });
    await collector.reload();
    const warm = await collector.sweepOnce();
    record("fleet", `first sweep (TLS handshakes, sims build state)`, warm.ms / 1000, "s");
    const times: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c0 = process.cpuUsage();
      times.push((await collector.sweepOnce()).ms);
      const c1 = process.cpuUsage(c0);
      cpu.push((c1.user + c1.system) / 1e6);
    }
    record(
      "fleet",
      `time per full sweep (${imported} clusters, median of 3)`,
      percentile(times, 50) / 1000,
      "s",
    );
    record("fleet", "collector CPU seconds per sweep", percentile(cpu, 50), "s");
    record("fleet", "collector process RSS", mb(process.memoryUsage().rss), "MB");
    record("fleet", "collector sockets open", collector.stats().sockets);
    record("fleet", "simulator RSS (all processes)", mb(sims.reduce((s, c) => s + treeRss(c.pid), 0)), "MB");
    await collector.stop();
    const { fleetHealth } = await import("@/lib/fleet/health");
    const now = Date.now();
    const fresh = await fleetHealth(now);
    record(
      "fleet",
      "share of sites healthy/fresh right after the sweep",
      (100 * fresh.counts.healthy) / Math.max(1, fresh.counts.total),
      "%",
    );
    const rollups: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      await fleetHealth(now + (i + 1) * 10_000);
      rollups.push(performance.now() - t);
    }
    record(
      "fleet",
      `fleet roll-up from DB, uncached (p50/p95, ${fresh.counts.total} sites)`,
      `${percentile(rollups, 50).toFixed(0)} / ${percentile(rollups, 95).toFixed(0)} ms`,
    );
    if (measureApi) await benchOverviewHttp(dataDir);
  });
}

async function benchOverviewHttp(dataDir: string): Promise<void> {
  if (!fs.existsSync(".next/BUILD_ID")) {
    const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("next build failed");
  }
  const port = 3900 + Math.floor(Math.random() * 90);
  const password = "bench-admin-password";
  const web = spawn("npx", ["next", "start", "-p", String(port)], {
    stdio: "ignore",
    env: {
      ...process.env,
      OUTPOST_DATA_DIR: dataDir,
      OUTPOST_COLLECTOR: "off",
      OUTPOST_ADMIN_PASSWORD: password,
      OUTPOST_LOG_LEVEL: "error",
    },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 120; i++) {
      try {
        if ((await fetch(`${base}/api/healthz`)).ok) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 500));
    }
    const { ensureFirstAdmin } = await import("@/lib/auth/users");
    process.env.OUTPOST_ADMIN_PASSWORD = password;
    const { resetEnvForTests } = await import("@/lib/env");
    resetEnvForTests();
    await ensureFirstAdmin();
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ username: "admin", password }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const timed = async (url: string, n: number, gapMs = 0) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        const res = await fetch(url, { headers: { cookie } });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${url} answered ${res.status}`);
        out.push(performance.now() - t);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      return out;
    };
    await timed(`${base}/api/fleet/health?limit=50`, 3);
    const api = await timed(`${base}/api/fleet/health?limit=50`, 40, 100);
    record(
      "overview",
      "GET /api/fleet/health?limit=50, 10 req/s (p50 / p95)",
      `${percentile(api, 50).toFixed(0)} / ${percentile(api, 95).toFixed(0)} ms`,
    );
    const filtered = await timed(
      `${base}/api/fleet/health?limit=50&status=degraded,unreachable&q=p1`,
      20,
      100,
    );
    record(
      "overview",
      "same, filtered by status + text (p50 / p95)",
      `${percentile(filtered, 50).toFixed(0)} / ${percentile(filtered, 95).toFixed(0)} ms`,
    );
    await timed(`${base}/`, 2);
    const ssr = await timed(`${base}/`, 10, 2_100);
    record(
      "overview",
      "SSR of / (control center), cache cold (p50 / p95)",
      `${percentile(ssr, 50).toFixed(0)} / ${percentile(ssr, 95).toFixed(0)} ms`,
    );
  } finally {
    web.kill("SIGTERM");
  }
}

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
  if (!fs.existsSync(".next/BUILD_ID")) {
    const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("next build failed");
  }
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

async function main(): Promise<void> {
  const wanted = new Set(process.argv.slice(2));
  const all = wanted.size === 0;
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "error";
  process.stdout.write(
    `Outpost benchmarks on ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
  );
  if (all || wanted.has("simulator")) runChildBench("simulator", ["lib/simulator/bench.ts", "2000"]);
  if (all || wanted.has("collector")) {
    await benchCollector(0);
    await benchCollector(150);
  }
  if (all || wanted.has("fleet")) {
    await benchFleet(2_000, 1, false);
    await benchFleet(10_000, 5, true);
  }
  if (all || wanted.has("telemetry"))
    runChildBench("telemetry", [
      "lib/simulator/telemetry/bench.ts",
      "--nodes",
      "10000",
      "--backfill-nodes",
      "2000",
      "--hours",
      "1",
    ]);
  if (all || wanted.has("page")) await benchPage();
  process.stdout.write("\nSummary\n");
  for (const r of results) process.stdout.write(`| ${r.section} | ${r.metric} | ${r.value} |\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
