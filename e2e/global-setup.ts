import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { generateFleet } from "../lib/simulator/fleet";
import { startSimulator } from "../lib/simulator/simulator";
import { type E2EState, STATE_ENV } from "./state";

const ADMIN_PASSWORD = "e2e-admin-password-1";
const EXPIRING_CERT_DAYS = 12;
const SERVER_START_TIMEOUT_MS = 60_000;

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

  // A real TLS Kubernetes API per simulated cluster.
  // A small fleet of one-cluster sites; the last cluster's client certificate runs out in 12 days.
  const fleet = generateFleet({
    sites: 5,
    seed: 20261121,
    kinds: ["store", "vehicle", "factory", "store", "store"],
  });
  const expiringSpec = fleet.sites.at(-1)?.clusters[0];
  if (expiringSpec) expiringSpec.clientCertDays = EXPIRING_CERT_DAYS;
  const sim = await startSimulator({ fleet, dedicatedPorts: "none", sharedListeners: 1 });
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
    },
    stdio: ["ignore", out, out],
    detached: true,
  });
  server.unref();
  (globalThis as { outpostE2E?: unknown }).outpostE2E = { sim, server };

  await waitForHealthy(baseUrl, server, logFile);

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
  };
  const stateFile = path.join(root, "state.json");
  writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  process.env[STATE_ENV] = stateFile;
}
