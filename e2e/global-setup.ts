import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { readFleetDirectory } from "../lib/fleet/import-dir";
import { type FleetSpec, factory, store, vehicle, windFarm } from "../lib/simulator/fleet";
import { createRng } from "../lib/simulator/prng";
import { startSimulator } from "../lib/simulator/simulator";
import { type E2EState, STATE_ENV } from "./state";

const ADMIN_PASSWORD = "e2e-admin-password-1";
const EXPIRING_CERT_DAYS = 12;
const SERVER_START_TIMEOUT_MS = 60_000;
/** The health model's limits follow: fresh ≤ 2 × 10 + 20 = 40 s, unreachable after max(5 × 10, 40) = 50 s. */
const E2E_POLL_INTERVAL_SECONDS = 10;
/** Every imported site has been polled at least once within this (reload 10 s + first poll within one interval). */
const FIRST_SWEEP_TIMEOUT_MS = 60_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url: string, server: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`next start exited with ${server.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/api/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Outpost did not become healthy within ${SERVER_START_TIMEOUT_MS} ms; see ${logFile}`);
}

type Kubeconfig = {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
};

/** Keeps the cluster and CA, swaps the credentials for an exec plugin (what cloud CLIs write). */
function withExecUser(yaml: string): string {
  const doc = parse(yaml) as Kubeconfig;
  for (const u of doc.users) {
    u.user = {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "sh",
        args: ["-c", "id > /tmp/pwned"],
      },
    };
  }
  return stringify(doc);
}

/** What `k3s.yaml` looks like when copied off the node: the server is the node's own loopback. */
function asCopiedK3sYaml(yaml: string): { yaml: string; realServer: string } {
  const doc = parse(yaml) as Kubeconfig;
  const cluster = doc.clusters[0]?.cluster ?? {};
  const realServer = String(cluster.server);
  cluster.server = "https://127.0.0.1:6443";
  return { yaml: stringify(doc), realServer };
}

export default async function globalSetup(): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), "outpost-e2e-"));
  const dataDir = path.join(root, "data");
  const kubeDir = path.join(root, "kubeconfigs");
  mkdirSync(dataDir);
  mkdirSync(kubeDir, { mode: 0o700 });

  // A real TLS Kubernetes API per simulated cluster: a small, demo-like fleet
  // (wind farm with turbine clusters, 1–3 node stores, vehicles, a factory).
  // The first cluster is the "ok" one, the second the "copied k3s.yaml" one,
  // and the last one's client certificate runs out in 12 days.
  const fleet = e2eFleet();
  const expiringSpec = fleet.sites.at(-1)?.clusters[0];
  if (expiringSpec) expiringSpec.clientCertDays = EXPIRING_CERT_DAYS;
  const simDir = path.join(root, "sim");
  // "fleet": clusters marked hasDedicatedPort (vehicles, the offline-test store) get their own
  // listener, so an "offline" fault closes it and Outpost sees a real ECONNREFUSED.
  const sim = await startSimulator({ fleet, dedicatedPorts: "fleet", sharedListeners: 1, outDir: simDir });
  const clusters = sim.manifest.sites.flatMap((s) => s.clusters);
  const expiring = clusters.at(-1);
  const [ok, copied, ...spare] = clusters.slice(0, -1);
  if (!ok || !copied || !expiring) throw new Error("the simulated fleet needs at least three clusters");
  const write = (name: string, text: string) => {
    const file = path.join(kubeDir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const okYaml = sim.kubeconfigFor(ok.site, ok.name);
  const copiedK3s = asCopiedK3sYaml(sim.kubeconfigFor(copied.site, copied.name));

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = path.join(root, "server.log");
  const out = openSync(logFile, "a");
  const server = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."),
    env: {
      ...process.env,
      NODE_ENV: "production",
      OUTPOST_DATA_DIR: dataDir,
      OUTPOST_ADMIN_USERNAME: "admin",
      OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_LOG_LEVEL: "warn",
      OUTPOST_COLLECTOR: "embedded",
      OUTPOST_POLL_INTERVAL_SECONDS: String(E2E_POLL_INTERVAL_SECONDS),
    },
    stdio: ["ignore", out, out],
    detached: true,
  });
  server.unref();
  (globalThis as { outpostE2E?: unknown }).outpostE2E = { sim, server };

  await waitForHealthy(baseUrl, server, logFile);
  await importSimulatedFleet(baseUrl, simDir, fleet);

  const state: E2EState = {
    baseUrl,
    dataDir,
    serverPid: server.pid ?? 0,
    admin: { username: "admin", password: ADMIN_PASSWORD },
    simulator: {
      controlUrl: sim.controlUrl,
      okKubeconfigPath: write("ok.yaml", okYaml),
      okClusterName: ok.name,
      okK3sVersion: ok.k3sVersion,
      execKubeconfigPath: write("exec.yaml", withExecUser(okYaml)),
      copiedKubeconfigPath: write("k3s.yaml", copiedK3s.yaml),
      copiedRealServer: copiedK3s.realServer,
      copiedK3sVersion: copied.k3sVersion,
      expiringKubeconfigPath: write("expiring.yaml", sim.kubeconfigFor(expiring.site, expiring.name)),
      expiringCertDays: EXPIRING_CERT_DAYS,
      spareKubeconfigPaths: spare.map((c, i) => write(`spare-${i}.yaml`, sim.kubeconfigFor(c.site, c.name))),
    },
    fleet: {
      pollIntervalSeconds: E2E_POLL_INTERVAL_SECONDS,
      sites: fleet.sites.map((site) => ({
        slug: site.slug,
        name: site.name,
        kind: site.kind,
        clusters: site.clusters.map((c) => ({ name: c.name, nodes: c.nodes.map((n) => n.name) })),
      })),
      offlineSite: OFFLINE_SITE,
      notReadySite: NOT_READY_SITE,
      blackholeSite: BLACKHOLE_SITE,
      degradedTurbine: { site: WIND_FARM, cluster: "turbine-03" },
      expiringSite: fleet.sites.at(-1)?.slug ?? "",
    },
  };
  const stateFile = path.join(root, "state.json");
  writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  process.env[STATE_ENV] = stateFile;
}

const OFFLINE_SITE = "store-paris-01";
const NOT_READY_SITE = "store-munich-01";
const BLACKHOLE_SITE = "store-madrid-01";
const WIND_FARM = "wf-north-sea-1";

/** Fixed slugs so the specs can name their targets; coordinates are the cities'. */
function e2eFleet(): FleetSpec {
  const rng = createRng(20261121);
  const sites = [
    store("store-berlin-01", "Berlin store 01", 52.52, 13.405, "DE", 2, rng, "nuc"),
    vehicle("truck-001", "Service truck 001", 53.1, 9.4, rng),
    windFarm(WIND_FARM, "North Sea Wind 1", 54.35, 6.25, 6, rng),
    store(NOT_READY_SITE, "Munich store 01", 48.137, 11.575, "DE", 3, rng, "rpi"),
    store(OFFLINE_SITE, "Paris store 01", 48.857, 2.352, "FR", 1, rng, "rpi"),
    store(BLACKHOLE_SITE, "Madrid store 01", 40.417, -3.704, "ES", 2, rng, "nuc"),
    factory("factory-stuttgart-1", "Stuttgart plant 1", 48.775, 9.182, "DE", rng),
    vehicle("truck-002", "Service truck 002", 47.2, 6.1, rng),
    store("store-london-01", "London store 01", 51.507, -0.128, "GB", 1, rng),
    store("store-lisbon-01", "Lisbon store 01", 38.722, -9.139, "PT", 2, rng),
  ];
  for (const site of sites) {
    if (site.slug === OFFLINE_SITE) for (const c of site.clusters) c.hasDedicatedPort = true;
  }
  return { seed: 20261121, sites };
}

/** Registers the simulator's fleet through the bulk import API (what an admin would do), then waits for the first poll. */
async function importSimulatedFleet(baseUrl: string, simDir: string, fleet: FleetSpec): Promise<void> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ username: "admin", password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`e2e admin login failed: HTTP ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const headers = { "content-type": "application/json", origin: baseUrl, cookie };
  const { items, problems } = readFleetDirectory(simDir);
  if (problems.length > 0) throw new Error(`simulator fleet directory: ${JSON.stringify(problems)}`);
  const res = await fetch(`${baseUrl}/api/clusters/import`, {
    method: "POST",
    headers,
    body: JSON.stringify({ items }),
  });
  const body = (await res.json()) as { summary?: { created: number; error: number } };
  if (!res.ok || !body.summary || body.summary.error > 0)
    throw new Error(`fleet import failed: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);

  const slugs = new Set(fleet.sites.map((s) => s.slug));
  const deadline = Date.now() + FIRST_SWEEP_TIMEOUT_MS;
  let pending: string[] = [...slugs];
  while (Date.now() < deadline) {
    const health = await fetch(`${baseUrl}/api/fleet/health?limit=500`, { headers: { cookie } });
    if (health.ok) {
      const page = (await health.json()) as {
        items: { slug: string; counts: { clusters: number; clustersFresh: number } }[];
      };
      pending = page.items
        .filter((i) => slugs.has(i.slug) && i.counts.clustersFresh < i.counts.clusters)
        .map((i) => i.slug);
      if (pending.length === 0) return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `the collector did not reach every simulated site within ${FIRST_SWEEP_TIMEOUT_MS} ms: ${pending.join(", ")}`,
  );
}
