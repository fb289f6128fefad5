// startSimulator: one process, many k3s clusters, reachable over HTTPS like the real thing.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ClusterRuntime, issueClusterPki, serverNameFor } from "./cluster";
import { startControlServer } from "./control";
import { createFaultController, type Fault, type FaultController } from "./faults";
import { demoFleet, type FleetSpec, generateFleet } from "./fleet";
import { FrontDoor } from "./front-door";
import type { ActiveWatch } from "./k8s/api";
import { buildManifest, renderKubeconfig, type SimManifest } from "./manifest";
import { createRng } from "./prng";
import { RequestLog, type RequestLogOptions } from "./request-log";

export interface StartSimulatorOptions {
  /** explicit fleet; otherwise `preset` or `sites` + `seed` */
  fleet?: FleetSpec;
  preset?: "demo";
  sites?: number;
  seed?: number;
  host?: string;
  /** 0 = any free port */
  controlPort?: number;
  /** first shared listener port; 0 = any free port */
  port?: number;
  /** how many shared TLS listeners carry the SNI-routed clusters */
  sharedListeners?: number;
  /** "fleet" honours each cluster's hasDedicatedPort; "all"/"none" override it */
  dedicatedPorts?: "fleet" | "all" | "none";
  /** write manifest.json and <site>/<cluster>.yaml here */
  outDir?: string;
  podStartMs?: number;
  /** progressDeadlineSeconds × this = real deadline */
  deadlineScale?: number;
  historyLimit?: number;
  maxEvents?: number;
  bookmarkIntervalMs?: number;
  tickMs?: number;
  /** vehicles follow their nightly/random coverage gaps */
  isScheduleEnabled?: boolean;
  /** record one kind of request (who asked which cluster, when): GET /requests on the control API */
  requestLog?: RequestLogOptions;
  now?: () => number;
  log?: (message: string) => void;
}

export interface KubeconfigRequest {
  /** use a bearer token instead of the client certificate */
  auth?: "cert" | "admin-token" | "read-only-token";
}

export interface SimulatorHandle {
  fleet: FleetSpec;
  manifest: SimManifest;
  controlUrl: string;
  kubeconfigFor(site: string, cluster: string, request?: KubeconfigRequest): string;
  faults: FaultController;
  /** in-process access for tests and benchmarks */
  runtime(site: string, cluster: string): ClusterRuntime;
  runtimes: ClusterRuntime[];
  /** present when started with `requestLog` */
  requests: RequestLog | undefined;
  stop(): Promise<void>;
}

export async function startSimulator(options: StartSimulatorOptions = {}): Promise<SimulatorHandle> {
  const now = options.now ?? Date.now;
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? (() => {});
  const fleet =
    options.fleet ??
    (options.preset === "demo"
      ? demoFleet(options.seed ?? 42)
      : generateFleet({ sites: options.sites ?? 3, seed: options.seed ?? 1 }));
  const startedAt = now();
  const runtimeOptions = {
    now,
    podStartMs: options.podStartMs ?? 1500,
    deadlineScale: options.deadlineScale ?? 0.05,
    historyLimit: options.historyLimit ?? 256,
    maxEvents: options.maxEvents ?? 60,
    startedAt,
  };

  const runtimes = new Map<string, ClusterRuntime>();
  const byServerName = new Map<string, ClusterRuntime>();
  const tokenRng = createRng(fleet.seed ^ 0x5eed);
  for (const site of fleet.sites) {
    for (const spec of site.clusters) {
      const pki = issueClusterPki(spec, serverNameFor(site.slug, spec.name), startedAt, tokenRng);
      const runtime = new ClusterRuntime(site, spec, pki, runtimeOptions);
      runtimes.set(`${site.slug}/${spec.name}`, runtime);
      byServerName.set(runtime.serverName, runtime);
    }
  }

  const faults = createFaultController({
    fleet,
    now,
    startedAt,
    isScheduleEnabled: options.isScheduleEnabled ?? false,
  });
  const watches = new Set<ActiveWatch>();
  const requests = options.requestLog ? new RequestLog(options.requestLog) : undefined;
  const front = new FrontDoor({
    host,
    faults,
    lookup: (name) => byServerName.get(name),
    watches: { register: (w) => watches.add(w), unregister: (w) => watches.delete(w) },
    ...(requests
      ? {
          onRequest: (runtime, req, path) =>
            requests.record(
              runtime.site.slug,
              runtime.spec.name,
              req.method,
              path,
              String(req.headers["user-agent"] ?? ""),
              Date.now(),
            ),
        }
      : {}),
  });

  const isDedicated = (r: ClusterRuntime) =>
    options.dedicatedPorts === "all"
      ? true
      : options.dedicatedPorts === "none"
        ? false
        : r.spec.hasDedicatedPort;
  const sharedCount = Math.max(1, options.sharedListeners ?? 2);
  const sharedPorts: number[] = [];
  const basePort = options.port ?? 0;
  const portOf = (server: import("node:net").Server) => {
    const a = server.address();
    return typeof a === "object" && a ? a.port : 0;
  };
  for (let i = 0; i < sharedCount; i++) {
    const server = await front.listen(basePort ? basePort + i : 0);
    sharedPorts.push(portOf(server));
  }
  const dedicatedServers = new Map<ClusterRuntime, import("node:net").Server | undefined>();
  let nextDedicated = basePort ? basePort + sharedCount : 0;
  let index = 0;
  for (const runtime of runtimes.values()) {
    if (isDedicated(runtime)) {
      const server = await front.listen(nextDedicated ? nextDedicated++ : 0, runtime);
      runtime.listenPort = portOf(server);
      dedicatedServers.set(runtime, server);
    } else {
      runtime.listenPort = sharedPorts[index++ % sharedPorts.length] ?? 0;
    }
  }
  const serverOf = (r: ClusterRuntime) => `https://${host}:${r.listenPort}`;

  /** Dedicated listeners close for real while their cluster is unreachable, so clients see ECONNREFUSED. */
  const syncListener = async (runtime: ClusterRuntime) => {
    if (!dedicatedServers.has(runtime)) return;
    const isUp = faults.connectionState(runtime.site.slug, runtime.spec.name) !== "refuse";
    const server = dedicatedServers.get(runtime);
    if (!isUp && server) {
      dedicatedServers.set(runtime, undefined);
      front.dropConnections(runtime);
      await front.closeServer(server);
    } else if (isUp && !server) {
      dedicatedServers.set(runtime, await front.listen(runtime.listenPort, runtime).catch(() => undefined));
    }
  };

  const scopeOf = (f: Fault) =>
    [...runtimes.values()].filter(
      (r) => r.site.slug === f.site && (f.cluster === undefined || r.spec.name === f.cluster),
    );

  /** Recomputes node-level fault effects from the live fault set (idempotent). */
  const syncNodes = (runtime: ClusterRuntime) => {
    const site = runtime.site.slug;
    const cluster = runtime.spec.name;
    for (const node of runtime.spec.nodes) {
      const down = faults
        .list()
        .find(
          (f) =>
            f.type === "node-not-ready" &&
            f.site === site &&
            (f.cluster ?? cluster) === cluster &&
            (f.node ?? node.name) === node.name,
        );
      const isCordoned = faults
        .list()
        .some(
          (f) =>
            f.type === "node-cordoned" &&
            f.site === site &&
            (f.cluster ?? cluster) === cluster &&
            (f.node ?? node.name) === node.name,
        );
      const mode = down && down.type === "node-not-ready" ? down.params.status : null;
      if (mode || runtime.nodeDownSince.has(node.name)) runtime.setNodeDown(node.name, mode);
      if (isCordoned || runtime.faultCordoned.has(node.name)) runtime.setNodeCordoned(node.name, isCordoned);
    }
  };

  faults.onChange((fault) => {
    for (const runtime of scopeOf(fault)) {
      if (fault.type === "node-not-ready" || fault.type === "node-cordoned") syncNodes(runtime);
      if (fault.type === "pod-start-delay")
        runtime.setPodStartMs(faults.podStartMs(runtime.site.slug, runtime.spec.name));
      if (
        [
          "offline",
          "uplink-down",
          "blackhole",
          "flapping",
          "tls-broken",
          "cert-renewed",
          "credentials-rotated",
        ].includes(fault.type)
      ) {
        front.dropConnections(runtime);
        void syncListener(runtime);
      }
    }
  });

  const control = await startControlServer({
    host,
    port: options.controlPort ?? 0,
    faults,
    manifest: () => manifest,
    requests,
  });
  const manifest = buildManifest(fleet, runtimes, serverOf, control.url, startedAt);

  // One shared ticker drives everything time-based: rollouts, fault expiry, flapping listeners, bookmarks.
  const bookmarkEvery = options.bookmarkIntervalMs ?? 60_000;
  const flapState = new Map<ClusterRuntime, string>();
  const tick = () => {
    faults.expire();
    for (const runtime of runtimes.values()) {
      if (runtime.isBusy) runtime.reconcile();
    }
    for (const f of faults.list()) {
      if (f.type !== "flapping") continue;
      for (const runtime of scopeOf(f)) {
        const state = faults.connectionState(runtime.site.slug, runtime.spec.name);
        if (flapState.get(runtime) !== state) {
          flapState.set(runtime, state);
          if (state !== "up") front.dropConnections(runtime);
          void syncListener(runtime);
        }
      }
    }
    if (options.isScheduleEnabled) for (const r of dedicatedServers.keys()) void syncListener(r);
    const wall = Date.now();
    for (const w of watches) {
      if (wall >= w.closesAt) w.close();
      else if (w.wantsBookmarks && now() - w.lastBookmarkAt >= bookmarkEvery) {
        w.lastBookmarkAt = now();
        (w as ActiveWatch & { bookmark?: () => void }).bookmark?.();
      }
    }
  };
  const ticker = setInterval(tick, options.tickMs ?? 250);
  ticker.unref();

  const kubeconfigFor = (site: string, cluster: string, request: KubeconfigRequest = {}) => {
    const runtime = runtimes.get(`${site}/${cluster}`);
    if (!runtime) throw new Error(`unknown cluster ${site}/${cluster}`);
    const token =
      request.auth === "admin-token"
        ? runtime.pki.adminToken
        : request.auth === "read-only-token"
          ? runtime.pki.readOnlyToken
          : undefined;
    return renderKubeconfig(runtime, { server: serverOf(runtime), token });
  };

  if (options.outDir) {
    const out = options.outDir;
    mkdirSync(out, { recursive: true });
    for (const runtime of runtimes.values()) {
      const dir = path.join(out, runtime.site.slug);
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        path.join(dir, `${runtime.spec.name}.yaml`),
        kubeconfigFor(runtime.site.slug, runtime.spec.name),
        { mode: 0o600 },
      );
    }
    writeFileSync(path.join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    log(`wrote ${runtimes.size} kubeconfigs and manifest.json to ${out}`);
  }

  return {
    fleet,
    manifest,
    controlUrl: control.url,
    kubeconfigFor,
    faults,
    runtimes: [...runtimes.values()],
    requests,
    runtime(site, cluster) {
      const r = runtimes.get(`${site}/${cluster}`);
      if (!r) throw new Error(`unknown cluster ${site}/${cluster}`);
      return r;
    },
    async stop() {
      clearInterval(ticker);
      for (const w of [...watches]) w.close();
      control.server.closeAllConnections();
      await new Promise<void>((resolve) => control.server.close(() => resolve()));
      await front.close();
    },
  };
}
