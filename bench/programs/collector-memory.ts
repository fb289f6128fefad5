// One collector configuration against an imported fleet, in its own process so
// its RSS is its own: `tsx bench/programs/collector-memory.ts <dataDir> <mode>
// <sweeps> [sessionMaxAgeMs]`. mode: per-poll | keep-alive | kept:<n> (keep-alive
// for at most n clusters, the rest resume TLS sessions). Prints one line
// `RESULT {json}`: RSS before any connection and after the sweeps, CPU seconds
// and wall time per sweep, sockets left open.
//
// Sweeps run back to back, but the collector's clock moves 15 s per sweep, as at
// the product's interval: TLS sessions and kept connections age as they would,
// so 8 sweeps after a settling one hold each cluster's certificate re-check (a
// full handshake every 2 minutes) once, as 2 minutes of polling at 15 s do. Without
// it, fast sweeps would never re-check and slow ones (a loaded 10,000-cluster
// run) would re-check every other sweep.
import fs from "node:fs";
import v8 from "node:v8";
import { Collector } from "@/lib/collector/collector";

/** RssAnon and RssFile of this process (bytes): heaps vs the mapped binary and libraries. */
function rssParts(): { rssAnon: number; rssFile: number } {
  const status = fs.readFileSync("/proc/self/status", "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rssAnon: kb("RssAnon"), rssFile: kb("RssFile") };
}

/** The product's default poll interval: what the collector's clock advances per sweep. */
const INTERVAL_MS = 15_000;

async function main(): Promise<void> {
  const [dataDir, mode = "per-poll", sweepsArg = "3", maxAgeArg] = process.argv.slice(2);
  const kept = /^kept:(\d+)$/.exec(mode);
  if (!dataDir || (mode !== "per-poll" && mode !== "keep-alive" && !kept)) {
    console.error(
      "usage: collector-memory.ts <dataDir> per-poll|keep-alive|kept:<n> [sweeps] [sessionMaxAgeMs]",
    );
    process.exit(2);
  }
  process.env.OUTPOST_DATA_DIR = dataDir;
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "error";
  const sweeps = Number(sweepsArg);
  let clock = Date.now();
  const collector = new Collector({
    now: () => clock,
    policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
    // The product default (OUTPOST_COLLECTOR_CONCURRENCY).
    concurrency: 32,
    connections: mode === "per-poll" ? "per-poll" : "keep-alive",
    ...(kept ? { maxKeptConnections: Number(kept[1]) } : {}),
    ...(maxAgeArg ? { session: { maxAgeMs: Number(maxAgeArg) } } : {}),
  });
  await collector.reload();
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const warm = await collector.sweepOnce();
  // One sweep unmeasured, so the measured ones end with the re-check of the certificates that
  // the warm-up verified (kept connections: the poll 2 min on closes it, the one after handshakes).
  clock += INTERVAL_MS;
  await collector.sweepOnce();
  const cpu: number[] = [];
  const wall: number[] = [];
  let failed = warm.failed;
  for (let i = 0; i < sweeps; i++) {
    clock += INTERVAL_MS;
    const c0 = process.cpuUsage();
    const s = await collector.sweepOnce();
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1e6);
    wall.push(s.ms / 1000);
    failed += s.failed;
  }
  global.gc?.();
  await new Promise((r) => setTimeout(r, 1_000));
  const mem = process.memoryUsage();
  const stats = collector.stats();
  // A heap snapshot of the collector at rest between sweeps, to see where the memory is.
  if (process.env.BENCH_HEAP_SNAPSHOT)
    v8.writeHeapSnapshot(`${process.env.BENCH_HEAP_SNAPSHOT}-${mode}.heapsnapshot`);
  console.log(
    `RESULT ${JSON.stringify({
      mode,
      clusters: stats.clusters,
      warmSweepS: warm.ms / 1000,
      cpuS: cpu,
      wallS: wall,
      failed,
      rssBefore,
      rss: mem.rss,
      heapUsed: mem.heapUsed,
      heapTotal: mem.heapTotal,
      external: mem.external,
      ...rssParts(),
      sockets: stats.sockets,
      kept: stats.keptSlots,
      handshakes: stats.handshakes,
    })}`,
  );
  await collector.stop();
  process.exit(0);
}

void main();
