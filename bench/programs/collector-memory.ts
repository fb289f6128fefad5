// One collector configuration against an imported fleet, in its own process so
// its RSS is its own: `tsx bench/programs/collector-memory.ts <dataDir> <mode>
// <sweeps> [sessionMaxAgeMs]`. mode: per-poll | keep-alive. Prints one line
// `RESULT {json}`: RSS before any connection and after the sweeps, CPU seconds
// and wall time per sweep, sockets left open.
import v8 from "node:v8";
import { Collector } from "@/lib/collector/collector";

async function main(): Promise<void> {
  const [dataDir, mode = "per-poll", sweepsArg = "3", maxAgeArg] = process.argv.slice(2);
  if (!dataDir || (mode !== "per-poll" && mode !== "keep-alive")) {
    console.error("usage: collector-memory.ts <dataDir> per-poll|keep-alive [sweeps] [sessionMaxAgeMs]");
    process.exit(2);
  }
  process.env.OUTPOST_DATA_DIR = dataDir;
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "error";
  const sweeps = Number(sweepsArg);
  const collector = new Collector({
    policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
    // The product default (OUTPOST_COLLECTOR_CONCURRENCY).
    concurrency: 32,
    connections: mode,
    ...(maxAgeArg ? { session: { maxAgeMs: Number(maxAgeArg) } } : {}),
  });
  await collector.reload();
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const warm = await collector.sweepOnce();
  const cpu: number[] = [];
  const wall: number[] = [];
  let failed = warm.failed;
  for (let i = 0; i < sweeps; i++) {
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
      external: mem.external,
      sockets: stats.sockets,
      handshakes: stats.handshakes,
    })}`,
  );
  await collector.stop();
  process.exit(0);
}

void main();
