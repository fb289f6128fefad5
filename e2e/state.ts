import { readFileSync } from "node:fs";

/** The collector's poll interval in the e2e server; tests derive every freshness bound from it. */
export const E2E_POLL_INTERVAL_SECONDS = 10;

/** What global-setup started, shared with the tests through a JSON file. */
export interface E2EState {
  baseUrl: string;
  dataDir: string;
  serverPid: number;
  admin: { username: string; password: string };
  simulator: {
    controlUrl: string;
    /** a working kubeconfig for one simulated k3s cluster */
    okKubeconfigPath: string;
    okClusterName: string;
    okK3sVersion: string;
    /** the same kind of file with an exec user: must be refused */
    execKubeconfigPath: string;
    /** a k3s.yaml as copied off a node: server https://127.0.0.1:6443 */
    copiedKubeconfigPath: string;
    /** where that copied cluster is really reachable */
    copiedRealServer: string;
    copiedK3sVersion: string;
    /** a working kubeconfig whose client certificate expires in `expiringCertDays` */
    expiringKubeconfigPath: string;
    expiringCertDays: number;
    /** spare working kubeconfigs for seeding (screenshots) */
    spareKubeconfigPaths: string[];
    /** the simulator's output directory (manifest.json + one kubeconfig per cluster): read live objects */
    fleetDir: string;
  };
  /** the simulated fleet, imported at setup and polled by the embedded collector */
  fleet: {
    pollIntervalSeconds: number;
    sites: { slug: string; name: string; kind: string; clusters: { name: string; nodes: string[] }[] }[];
    /** a one-cluster store on its own port: "offline" refuses connections */
    offlineSite: string;
    /** a three-node store */
    notReadySite: string;
    /** a store to blackhole */
    blackholeSite: string;
    /** a turbine cluster the screenshot makes NotReady */
    degradedTurbine: { site: string; cluster: string };
    /** the site whose client certificate expires soon */
    expiringSite: string;
  };
  /** a real influxd written to by the simulator's telemetry writer, registered as the default data source */
  telemetry: {
    influxUrl: string;
    influxPid: number;
    database: string;
    /** live sample period of every node */
    intervalMs: number;
    /** history written before the live writer started */
    historyMs: number;
    /** the default data source and the body it was registered with (for a PUT that changes one field) */
    dataSource: {
      id: string;
      body: {
        name: string;
        url: string;
        database: string;
        isDefault: true;
        mapping?: Record<string, unknown>;
      };
    };
    /** a multi-node wind farm (control-center servers and turbines) for the charts */
    windFarm: string;
    /** a healthy store's node whose boards run well under the warning threshold: the overheating target */
    overheat: { site: string; cluster: string; node: string };
  };
  /** views (issue 13): sites for the views for many nodes */
  views: {
    /** a 20-turbine wind farm: 21 clusters (control center + turbines), 23 nodes */
    gridFarm: {
      slug: string;
      name: string;
      clusters: string[];
      nodes: string[];
      /** a turbine cluster and its node the overheating test heats */
      overheatCluster: string;
      overheatNode: string;
      /** a turbine cluster the blackhole test darkens */
      blackholeCluster: string;
    };
  };
  linkQuality: LinkQualityState;
  /** sites only the alerts specs touch (e2e/alerts-*.spec.ts) */
  alerts: {
    /** a two-node store: thresholds, overheating, hovering, maintenance */
    store: { site: string; cluster: string; nodes: string[] };
    /** a three-node store on its own port: taken offline for "one site-unreachable alert, no storm" */
    darkStore: { site: string; cluster: string; nodes: string[] };
  };
  /** embed specs (issue 11): a store of their own, so their faults and grants touch no other spec */
  embed: {
    store: string;
    storeName: string;
    cluster: string;
    nodes: string[];
    overheatNode: string;
    logFile: string;
  };
}

/** Sites on links that waver or crawl (collector), served by their own simulator, imported by their spec. */
export interface LinkQualityState {
  controlUrl: string;
  /** the simulator's output directory: kubeconfigs + manifest, for the bulk import */
  fleetDir: string;
  flappingSite: string;
  slowSite: string;
}

export const STATE_ENV = "OUTPOST_E2E_STATE";

let cached: E2EState | undefined;

export function e2eState(): E2EState {
  if (cached) return cached;
  const file = process.env[STATE_ENV];
  if (!file)
    throw new Error(`${STATE_ENV} is not set: run the e2e tests through playwright.config.ts (global setup)`);
  cached = JSON.parse(readFileSync(file, "utf8")) as E2EState;
  return cached;
}
