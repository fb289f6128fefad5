// 100 clusters: Outpost's collector vs a naive sequential sweep, on loopback and
// with cellular-like latency.
import fs from "node:fs";
import path from "node:path";
import { type BenchSection, freshDataDir, importDirs, percentile, record, withFleet } from "../kit";

async function benchCollector(latencyMs: number): Promise<void> {
  const link = latencyMs > 0 ? `${latencyMs} ms added latency (cellular-like)` : "loopback latency";
  process.stdout.write(
    `\n▶ collector: 100 clusters, ${link}: Outpost's collector vs naive sequential list-nodes\n`,
  );
  const dataDir = await freshDataDir("outpost-bench-collector-");
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

export const collectorSection: BenchSection = {
  name: "collector",
  summary: "100 clusters: Outpost's collector vs a naive sequential sweep (loopback and 150 ms)",
  async run() {
    await benchCollector(0);
    await benchCollector(150);
  },
};
