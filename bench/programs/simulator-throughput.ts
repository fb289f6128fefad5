// Scale check of the simulator: 2,000 clusters in one process.
// Run: npx tsx bench/programs/simulator-throughput.ts [clusters] (or `npm run bench -- simulator`).
import https from "node:https";
import { generateFleet } from "@/lib/simulator/fleet";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";

interface Target {
  server: URL;
  servername: string;
  ca: string;
  cert: string;
  key: string;
}

function targetsOf(sim: SimulatorHandle): Target[] {
  return sim.runtimes.map((r) => ({
    server: new URL(`https://127.0.0.1:${r.listenPort}`),
    servername: r.serverName,
    ca: r.pki.serverCa.cert,
    cert: r.pki.adminCert.cert,
    key: r.pki.adminCert.key,
  }));
}

function get(agent: https.Agent, t: Target, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: t.server.hostname,
        port: t.server.port,
        path,
        method: "GET",
        servername: t.servername,
        ca: t.ca,
        cert: t.cert,
        key: t.key,
        agent,
      },
      (res) => {
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
        });
        res.on("end", () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function runPool(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function benchSimulator(clusters = 2000, requests = 20_000): Promise<Record<string, number | string>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBase = process.memoryUsage().rss;
  const t0 = performance.now();
  const sim = await startSimulator({
    fleet: generateFleet({ sites: clusters, seed: 2000, kinds: ["store"] }),
    sharedListeners: 4,
    dedicatedPorts: "none",
  });
  const startupMs = performance.now() - t0;
  gc?.();
  const rssStarted = process.memoryUsage().rss;
  const targets = targetsOf(sim);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, maxTotalSockets: 4096 });
  try {
    const t1 = performance.now();
    await runPool(targets.length, 32, (i) => get(agent, targets[i] as Target, "/api/v1/nodes"));
    const firstTouchMs = performance.now() - t1;
    gc?.();
    const rssTouched = process.memoryUsage().rss;
    const hot = targets.slice(0, 200);
    const t2 = performance.now();
    let bytes = 0;
    await runPool(requests, 32, async (i) => {
      const size = await get(agent, hot[i % hot.length] as Target, "/api/v1/nodes");
      bytes += size;
    });
    const hotMs = performance.now() - t2;
    gc?.();
    const rssEnd = process.memoryUsage().rss;
    const nodes = sim.runtimes.reduce((n, r) => n + r.spec.nodes.length, 0);
    const result: Record<string, number | string> = {
      clusters: targets.length,
      nodes,
      listeners: new Set(targets.map((t) => t.server.port)).size,
      startupMs: Math.round(startupMs),
      rssBaselineMB: mb(rssBase),
      rssAfterStartMB: mb(rssStarted),
      firstTouchAllClustersMs: Math.round(firstTouchMs),
      rssAllMaterializedMB: mb(rssTouched),
      rssPerClusterKB: Math.round((rssTouched - rssBase) / targets.length / 1024),
      keepAliveRequests: requests,
      keepAliveRequestsPerSec: Math.round((requests / hotMs) * 1000),
      avgResponseBytes: Math.round(bytes / requests),
      rssEndMB: mb(rssEnd),
      heapUsedMB: mb(process.memoryUsage().heapUsed),
      clientInProcess: "yes (same process, keep-alive agent, 32 in flight)",
    };
    return result;
  } finally {
    agent.destroy();
    await sim.stop();
  }
}

const clusters = Number(process.argv[2] ?? "2000");
benchSimulator(clusters)
  .then((r) => {
    console.table(r);
    process.exit(0);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
