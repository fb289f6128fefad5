// Where a cluster's collector memory and CPU go, part by part, against an
// imported fleet: `tsx bench/programs/collector-parts.ts <dataDir>`. Opens one
// cluster client per cluster (its TLS context: CA, client certificate and key),
// then keeps one connection each, then measures a request on a kept connection
// against one that reconnects (TLS session resumed) and one with a full
// handshake. Prints `RESULT {json}`: RSS per cluster of each part, CPU ms per request.
import { db } from "@/lib/db/client";
import { type ClusterClient, openClusterClient } from "@/lib/kube/cluster-client";
import { decryptSecret } from "@/lib/secrets/crypto";

const POLICY = { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] } as const;
const PARALLEL = 32;

function rss(): number {
  global.gc?.();
  return process.memoryUsage().rss;
}

/** One GET /version per client, PARALLEL at a time; `close` drops each connection after its answer. */
async function round(clients: ClusterClient[], close: boolean): Promise<number> {
  let next = 0;
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let i = next++; i < clients.length; i = next++) {
        const c = clients[i] as ClusterClient;
        await c.get("/version", { timeoutMs: 30_000 });
        c.releaseIdle(!close);
      }
    }),
  );
  const c1 = process.cpuUsage(c0);
  return (c1.user + c1.system) / 1000 / clients.length;
}

async function openAll(yamls: string[], resume: boolean): Promise<ClusterClient[]> {
  const out: ClusterClient[] = [];
  // Sessions resumed for the whole run: every reconnect of the resumed round resumes.
  for (const y of yamls)
    out.push(
      await openClusterClient(y, POLICY, { resumeSessions: resume, session: { maxAgeMs: 3_600_000 } }),
    );
  return out;
}

async function main(): Promise<void> {
  const [dataDir] = process.argv.slice(2);
  if (!dataDir) {
    console.error("usage: collector-parts.ts <dataDir>");
    process.exit(2);
  }
  process.env.OUTPOST_DATA_DIR = dataDir;
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "error";
  const rows = await db().cluster.findMany({ select: { kubeconfigEnc: true } });
  const yamls = rows.map((r) => decryptSecret(r.kubeconfigEnc));
  const n = yamls.length;
  const r0 = rss();
  const resumed = await openAll(yamls, true);
  const r1 = rss();
  await round(resumed, false); // one connection kept per cluster (full handshakes)
  await new Promise((r) => setTimeout(r, 500));
  const r2 = rss();
  const keptMs = await round(resumed, false);
  await round(resumed, true); // close them: the next round reconnects
  const resumedMs = await round(resumed, true);
  const handshakes = resumed.reduce(
    (a, c) => {
      const h = c.handshakes();
      return { full: a.full + h.full, resumed: a.resumed + h.resumed };
    },
    { full: 0, resumed: 0 },
  );
  for (const c of resumed) c.close();
  const full = await openAll(yamls, false);
  const fullMs = await round(full, true);
  for (const c of full) c.close();
  console.log(
    `RESULT ${JSON.stringify({
      clusters: n,
      contextKb: (r1 - r0) / n / 1024,
      socketKb: (r2 - r1) / n / 1024,
      keptMs,
      resumedMs,
      fullMs,
      handshakes,
    })}`,
  );
  process.exit(0);
}

void main();
