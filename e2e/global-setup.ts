import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import {
  type FleetSpec,
  factory,
  type SiteSpec,
  store,
  telemetryNodes,
  vehicle,
  windFarm,
} from "../lib/simulator/fleet";
import { createRng } from "../lib/simulator/prng";
import { startSimulator } from "../lib/simulator/simulator";
import { startPostgres } from "../lib/testing/postgres";
import {
  adminCookie,
  importFleetDirectory,
  type OutpostServer,
  registerDefaultDataSource,
  startOutpostServer,
  startTelemetryFleet,
} from "../lib/testing/telemetry-fleet";
import { E2E_POLL_INTERVAL_SECONDS, type E2EState, type LinkQualityState, STATE_ENV } from "./state";

const ADMIN_PASSWORD = "e2e-admin-password-1";
const EXPIRING_CERT_DAYS = 12;
/** Every imported site has been polled at least once within this (reload 10 s + first poll within one interval). */
const FIRST_SWEEP_TIMEOUT_MS = 60_000;
/** Telegraf-like sampling of every simulated node into a real InfluxDB; the charts bucket at ≥ 10 s. */
const TELEMETRY_INTERVAL_MS = 5_000;
/** Outpost's telemetry tick in the e2e server (default 10 s): short, so telemetry changes show quickly. */
const E2E_TELEMETRY_TICK_SECONDS = 2;
/** History written before the live writer starts, so the site charts have a past. */
const TELEMETRY_HISTORY_MS = 30 * 60_000;

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

/** The database the e2e server uses: SQLite in its data dir (default), or a fresh PostgreSQL. */
async function e2eDatabase(): Promise<{ url: string; stop(): Promise<void> } | undefined> {
  if (process.env.OUTPOST_E2E_DATABASE !== "postgresql") return undefined;
  const server = await startPostgres();
  return { url: await server.createDatabase("e2e"), stop: () => server.stop() };
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
  const viewsFarm = addViewsSites(fleet);
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

  // A real InfluxDB fed by the simulator's telemetry writer: 30 min of history, then live every
  // 5 s, consulting the simulator's faults (overheating, uplink down, NotReady nodes) on each tick.
  const telemetry = await startTelemetryFleet({
    nodes: telemetryNodes(fleet),
    faults: sim.faults,
    intervalMs: TELEMETRY_INTERVAL_MS,
    historyMs: TELEMETRY_HISTORY_MS,
  });
  // What global-teardown stops, even when a later step of this setup fails.
  const started: {
    sim: typeof sim;
    telemetry: typeof telemetry;
    server?: OutpostServer;
    linkSim?: { stop(): Promise<void> };
    database?: { url: string; stop(): Promise<void> };
  } = {
    sim,
    telemetry,
  };
  (globalThis as { outpostE2E?: unknown }).outpostE2E = started;

  // OUTPOST_E2E_DATABASE=postgresql: the same suite against a throw-away PostgreSQL (npm test's second pass).
  const database = await e2eDatabase();
  started.database = database;

  const server = await startOutpostServer({
    dataDir,
    logFile: path.join(root, "server.log"),
    env: {
      ...(database ? { DATABASE_URL: database.url } : {}),
      OUTPOST_ADMIN_USERNAME: "admin",
      OUTPOST_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OUTPOST_ALLOW_LOOPBACK: "1",
      OUTPOST_LOG_LEVEL: "warn",
      OUTPOST_WORKER: "embedded",
      OUTPOST_POLL_INTERVAL_SECONDS: String(E2E_POLL_INTERVAL_SECONDS),
      // Alerts: evaluate every 2 s so e2e/alerts.spec.ts sees Pending, Firing and Resolved quickly.
      OUTPOST_ALERTS_INTERVAL_SECONDS: "2",
      // The simulator's telemetry writer sends each point within about a second of its event time
      // (Telegraf's 10 s flush is what the default of 10 s covers): 5 s of ingest delay is plenty here.
      OUTPOST_ALERTS_INGEST_DELAY_SECONDS: "5",
      // The telemetry tick reads InfluxDB this often (its deadline is 2 ticks + 5 s = 9 s).
      OUTPOST_TELEMETRY_TICK_SECONDS: String(E2E_TELEMETRY_TICK_SECONDS),
      // Deploy runner: tick and health checks every second or so (defaults 2 s and 5 s), so a wave of
      // the wind farm's restart takes seconds, not ten, and deploy specs stay under a minute each.
      OUTPOST_DEPLOY_TICK_MS: "1000",
      OUTPOST_DEPLOY_CHECK_MS: "1500",
    },
  });
  started.server = server;
  const baseUrl = server.baseUrl;

  const cookie = await adminCookie(baseUrl, "admin", ADMIN_PASSWORD);
  await importFleetDirectory(
    baseUrl,
    cookie,
    simDir,
    fleet.sites.map((s) => s.slug),
    FIRST_SWEEP_TIMEOUT_MS,
  );
  // Through the API, as an admin would: the default source every site reads from.
  const dataSource = await registerDefaultDataSource(baseUrl, cookie, {
    name: "E2E InfluxDB",
    url: telemetry.influx.url,
    database: telemetry.database,
    // The writer's real period, so charts may bucket as fine as 10 s.
    mapping: { sampleSeconds: TELEMETRY_INTERVAL_MS / 1000 },
  });

  const linkQuality = await startLinkQualityFleet(root);
  started.linkSim = linkQuality.sim;

  const state: E2EState = {
    baseUrl,
    dataDir,
    serverPid: server.process.pid ?? 0,
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
      fleetDir: simDir,
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
    telemetry: {
      influxUrl: telemetry.influx.url,
      influxPid: telemetry.influx.pid,
      database: telemetry.database,
      intervalMs: TELEMETRY_INTERVAL_MS,
      historyMs: TELEMETRY_HISTORY_MS,
      dataSource,
      windFarm: WIND_FARM,
      overheat: overheatTarget(fleet),
    },
    views: viewsState(viewsFarm),
    linkQuality: linkQuality.state,
    alerts: alertsState(fleet),
    embed: embedState(fleet, server.logFile),
  };
  const stateFile = path.join(root, "state.json");
  writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  process.env[STATE_ENV] = stateFile;
}

const OFFLINE_SITE = "store-paris-01";
const NOT_READY_SITE = "store-munich-01";
const BLACKHOLE_SITE = "store-madrid-01";
const WIND_FARM = "wf-north-sea-1";
/**
 * The overheating target: a two-node store that is healthy once the blackhole spec is done with it
 * (the last site, Lisbon, is degraded by its expiring certificate). With this seed its boards
 * never pass ~80 °C on their own (nuc-01 peaks near 79.5 °C, nuc-02 runs ~50–70 °C), so "hot"
 * is the fault's doing.
 */
const OVERHEAT_SITE = BLACKHOLE_SITE;
const OVERHEAT_NODE = "nuc-02";

function overheatTarget(fleet: FleetSpec): { site: string; cluster: string; node: string } {
  const site = fleet.sites.find((s) => s.slug === OVERHEAT_SITE);
  const cluster = site?.clusters.find((c) => c.nodes.some((n) => n.name === OVERHEAT_NODE));
  if (!site || !cluster) throw new Error(`${OVERHEAT_SITE} has no node ${OVERHEAT_NODE}`);
  return { site: site.slug, cluster: cluster.name, node: OVERHEAT_NODE };
}

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
  // The last site stays last (its certificate is the expiring one).
  sites.splice(sites.length - 1, 0, ...alertsSites());
  // Embed sites go before the last site: other specs rely on the last one (the expiring certificate).
  sites.splice(sites.length - 1, 0, ...embedSites());
  return { seed: 20261121, sites };
}

// ---------------------------------------------------------------------------
// views (issue 13): a 20-turbine farm (21 clusters, 23 nodes) for the health grid, the
// temperature heatmap and the connectivity timeline (e2e/views.spec.ts). Its own random
// stream, and inserted before the last site (whose certificate expires), so every other
// site is built exactly as before.

const VIEWS_FARM = "wf-grid-20";
const VIEWS_TURBINES = 20;

function addViewsSites(fleet: FleetSpec): SiteSpec {
  const farm = windFarm(VIEWS_FARM, "Grid Wind 20", 56.6, 11.2, VIEWS_TURBINES, createRng(13_2026));
  fleet.sites.splice(Math.max(0, fleet.sites.length - 1), 0, farm);
  return farm;
}

function viewsState(farm: SiteSpec): E2EState["views"] {
  const clusters = farm.clusters.map((c) => c.name);
  const turbine = (n: number) =>
    farm.clusters.find((c) => c.name === `turbine-${String(n).padStart(2, "0")}`);
  const overheat = turbine(5);
  const blackhole = turbine(12);
  if (!overheat?.nodes[0] || !blackhole) throw new Error(`${farm.slug} lacks its test turbines`);
  return {
    gridFarm: {
      slug: farm.slug,
      name: farm.name,
      clusters,
      nodes: farm.clusters.flatMap((c) => c.nodes.map((n) => n.name)),
      overheatCluster: overheat.name,
      overheatNode: overheat.nodes[0].name,
      blackholeCluster: blackhole.name,
    },
  };
}

// ---------------------------------------------------------------------------
// Link quality (collector): a flapping and a slow store. Their own simulator and
// directory, so the main fleet above stays exactly what the other specs count;
// e2e/link-quality.spec.ts imports them, breaks their links and removes them.

const FLAPPING_SITE = "store-flappy-01";
const SLOW_SITE = "store-crawl-01";

async function startLinkQualityFleet(
  root: string,
): Promise<{ sim: { stop(): Promise<void> }; state: LinkQualityState }> {
  const rng = createRng(20261201);
  const fleet: FleetSpec = {
    seed: 20261201,
    sites: [
      store(FLAPPING_SITE, "Flappy store 01", 43.3, -8.4, "ES", 1, rng, "nuc"),
      store(SLOW_SITE, "Crawl store 01", 37.4, -5.99, "ES", 1, rng, "nuc"),
    ],
  };
  const fleetDir = path.join(root, "sim-link-quality");
  const sim = await startSimulator({ fleet, sharedListeners: 1, outDir: fleetDir, isScheduleEnabled: false });
  return {
    sim,
    state: { controlUrl: sim.controlUrl, fleetDir, flappingSite: FLAPPING_SITE, slowSite: SLOW_SITE },
  };
}

// ---------------------------------------------------------------------------
// Alerts block (e2e/alerts-*.spec.ts): sites only those specs touch, built from
// their own random stream so the sites above keep their data.

const ALERTS_STORE = "store-alerts-01";
const ALERTS_DARK_STORE = "store-alerts-dark";

function alertsSites() {
  const rng = createRng(20261201);
  const hot = store(ALERTS_STORE, "Alerts store 01", 43.3, -2.9, "ES", 2, rng, "nuc");
  const dark = store(ALERTS_DARK_STORE, "Alerts dark store", 43.26, -2.93, "ES", 3, rng, "rpi");
  // Its own listener, so "offline" refuses connections like a store whose uplink died.
  for (const c of dark.clusters) c.hasDedicatedPort = true;
  return [hot, dark];
}

function alertsState(fleet: FleetSpec): E2EState["alerts"] {
  const hot = fleet.sites.find((s) => s.slug === ALERTS_STORE);
  const dark = fleet.sites.find((s) => s.slug === ALERTS_DARK_STORE);
  const hotCluster = hot?.clusters[0];
  const darkCluster = dark?.clusters[0];
  if (!hot || !dark || !hotCluster || !darkCluster) throw new Error("the alerts sites are missing");
  return {
    store: { site: hot.slug, cluster: hotCluster.name, nodes: hotCluster.nodes.map((n) => n.name) },
    darkStore: { site: dark.slug, cluster: darkCluster.name, nodes: darkCluster.nodes.map((n) => n.name) },
  };
}

// ---------------------------------------------------------------------------
// Embed specs (issue 11): their own store, drawn from their own random stream so
// the sites above stay exactly as they were. Its NUC boards run at 42–62 °C, so
// "hot" in the embed spec is the overheating fault's doing.

const EMBED_STORE = "store-embed-01";
const EMBED_OVERHEAT_NODE = "nuc-02";

function embedSites(): SiteSpec[] {
  const rng = createRng(11_2026);
  return [store(EMBED_STORE, "Embed store 01", 50.11, 8.682, "XE", 2, rng, "nuc")];
}

function embedState(fleet: FleetSpec, logFile: string): E2EState["embed"] {
  const site = fleet.sites.find((s) => s.slug === EMBED_STORE);
  const cluster = site?.clusters[0];
  if (!site || !cluster) throw new Error(`${EMBED_STORE} missing from the e2e fleet`);
  return {
    store: site.slug,
    storeName: site.name,
    cluster: cluster.name,
    nodes: cluster.nodes.map((n) => n.name),
    overheatNode: EMBED_OVERHEAT_NODE,
    logFile,
  };
}
