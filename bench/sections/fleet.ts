// 2,000 and 10,000 clusters in several simulator processes: sweep time, CPU per
// sweep, RSS, share fresh; overview API p50/p95 and SSR at 10,000 sites.
import {
  type BenchSection,
  ensureBuild,
  freshDataDir,
  importDirs,
  mb,
  percentile,
  record,
  treeRss,
  withFleet,
} from "../kit";
import { startBenchServer, stopBenchServer } from "../web-server";

async function benchFleet(count: number, processes: number, measureApi: boolean): Promise<void> {
  process.stdout.write(`\n▶ fleet: ${count} clusters in ${processes} simulator process(es)\n`);
  const dataDir = await freshDataDir(`outpost-bench-${count}-`);
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

/**
 * The overview API and SSR of a production server on `dataDir` (web-only). `database` labels the rows
 * and points the server (whose start-up creates the first admin there) at another database than the
 * data dir's SQLite file (the scale-out section measures PostgreSQL and SQLite side by side).
 */
export async function benchOverviewHttp(
  dataDir: string,
  database?: { label: string; url: string },
  { withSsr = true }: { withSsr?: boolean } = {},
): Promise<void> {
  const label = database ? `[${database.label}] ` : "";
  ensureBuild();
  const web = await startBenchServer(dataDir, "overview", {
    ...(database ? { DATABASE_URL: database.url } : {}),
    OUTPOST_COLLECTOR: "off",
  });
  try {
    const { base, cookie } = web;
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
      `${label}GET /api/fleet/health?limit=50, 10 req/s (p50 / p95)`,
      `${percentile(api, 50).toFixed(0)} / ${percentile(api, 95).toFixed(0)} ms`,
    );
    const filtered = await timed(
      `${base}/api/fleet/health?limit=50&status=degraded,unreachable&q=p1`,
      20,
      100,
    );
    record(
      "overview",
      `${label}same, filtered by status + text (p50 / p95)`,
      `${percentile(filtered, 50).toFixed(0)} / ${percentile(filtered, 95).toFixed(0)} ms`,
    );
    if (!withSsr) return;
    await timed(`${base}/`, 2);
    const ssr = await timed(`${base}/`, 10, 2_100);
    record(
      "overview",
      `${label}SSR of / (control center), cache cold (p50 / p95)`,
      `${percentile(ssr, 50).toFixed(0)} / ${percentile(ssr, 95).toFixed(0)} ms`,
    );
  } finally {
    await stopBenchServer(web);
  }
}

export const fleetSection: BenchSection = {
  name: "fleet",
  summary: "2,000 and 10,000 clusters: sweep time, CPU, RSS, share fresh; overview API and SSR",
  async run() {
    await benchFleet(2_000, 1, false);
    await benchFleet(10_000, 5, true);
  },
};
