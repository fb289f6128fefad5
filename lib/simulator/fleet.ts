// The fleet model: which sites, clusters and nodes exist. Pure data, derived
// only from the seed (and the start time for vehicles' random coverage gaps).
import { createRng, hashString, type Rng } from "./prng";
import type { SiteKind, TelemetryNode } from "./telemetry/contract";

export type NodeArch = "arm64" | "amd64";
export type NodeRole = "control-plane" | "master" | "etcd";
export type ClusterRole = "farm-control" | "turbine" | "store" | "vehicle" | "gateway";

export interface NodeSpec {
  name: string;
  roles: NodeRole[];
  arch: NodeArch;
  cpuCores: number;
  memoryMi: number;
  gpus: number;
  osImage: string;
  kernelVersion: string;
  internalIp: string;
  isTurbine: boolean;
  seed: number;
}

export interface ClusterSpec {
  site: string;
  name: string;
  role: ClusterRole;
  k3sVersion: string;
  nodes: NodeSpec[];
  /** lifetime of the admin client certificate from sim start */
  clientCertDays: number;
  /** served on its own port so "offline" can refuse connections for real */
  hasDedicatedPort: boolean;
  seed: number;
}

export type OfflineWindow =
  | { kind: "nightly"; startMinuteUtc: number; durationMinutes: number }
  | { kind: "random"; offsetMinutes: number; durationMinutes: number };

export interface SiteSpec {
  slug: string;
  name: string;
  kind: SiteKind;
  lat: number;
  lon: number;
  labels: Record<string, string>;
  offlineWindows: OfflineWindow[];
  clusters: ClusterSpec[];
}

export interface FleetSpec {
  seed: number;
  sites: SiteSpec[];
}

const K3S_VERSIONS = [
  "v1.31.4+k3s1",
  "v1.31.4+k3s1",
  "v1.30.8+k3s1",
  "v1.32.1+k3s1",
  "v1.29.12+k3s1",
] as const;

export function containerdVersionFor(k3sVersion: string): string {
  if (k3sVersion.startsWith("v1.32")) return "containerd://1.7.23-k3s2";
  if (k3sVersion.startsWith("v1.31")) return "containerd://1.7.23-k3s2";
  if (k3sVersion.startsWith("v1.30")) return "containerd://1.7.22-k3s1";
  return "containerd://1.7.17-k3s1";
}

const CITIES: ReadonlyArray<readonly [string, number, number, string]> = [
  ["berlin", 52.52, 13.405, "DE"],
  ["munich", 48.137, 11.575, "DE"],
  ["hamburg", 53.551, 9.993, "DE"],
  ["cologne", 50.937, 6.96, "DE"],
  ["paris", 48.857, 2.352, "FR"],
  ["lyon", 45.764, 4.836, "FR"],
  ["madrid", 40.417, -3.704, "ES"],
  ["barcelona", 41.385, 2.173, "ES"],
  ["bilbao", 43.263, -2.935, "ES"],
  ["lisbon", 38.722, -9.139, "PT"],
  ["milan", 45.464, 9.19, "IT"],
  ["rome", 41.903, 12.496, "IT"],
  ["vienna", 48.208, 16.373, "AT"],
  ["zurich", 47.377, 8.541, "CH"],
  ["amsterdam", 52.368, 4.904, "NL"],
  ["rotterdam", 51.924, 4.478, "NL"],
  ["brussels", 50.85, 4.352, "BE"],
  ["copenhagen", 55.676, 12.568, "DK"],
  ["stockholm", 59.329, 18.069, "SE"],
  ["oslo", 59.914, 10.752, "NO"],
  ["warsaw", 52.23, 21.012, "PL"],
  ["prague", 50.076, 14.438, "CZ"],
  ["dublin", 53.35, -6.26, "IE"],
  ["london", 51.507, -0.128, "GB"],
  ["manchester", 53.481, -2.243, "GB"],
  ["glasgow", 55.864, -4.252, "GB"],
  ["atlanta", 33.749, -84.388, "US"],
  ["dallas", 32.777, -96.797, "US"],
  ["chicago", 41.878, -87.63, "US"],
  ["denver", 39.739, -104.99, "US"],
];

const WIND_AREAS: ReadonlyArray<readonly [string, number, number, string]> = [
  ["north-sea", 54.35, 6.25, "DE"],
  ["galicia", 43.35, -8.6, "ES"],
  ["baltic", 54.75, 13.9, "DE"],
  ["irish-sea", 53.85, -3.55, "GB"],
  ["horns-rev", 55.55, 7.75, "DK"],
  ["moray-firth", 57.7, -3.0, "GB"],
  ["gulf-coast", 27.6, -97.25, "US"],
  ["brittany", 47.4, -2.6, "FR"],
];

const FACTORY_CITIES = [
  "stuttgart",
  "wolfsburg",
  "turin",
  "lyon",
  "bilbao",
  "detroit",
  "gothenburg",
] as const;
const FACTORY_COORDS: Record<string, readonly [number, number, string]> = {
  stuttgart: [48.775, 9.182, "DE"],
  wolfsburg: [52.423, 10.787, "DE"],
  turin: [45.07, 7.687, "IT"],
  lyon: [45.764, 4.836, "FR"],
  bilbao: [43.263, -2.935, "ES"],
  detroit: [42.331, -83.046, "US"],
  gothenburg: [57.709, 11.975, "SE"],
};

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

interface NodeOptions {
  name: string;
  roles: NodeRole[];
  arch: NodeArch;
  memoryMi: number;
  cpuCores: number;
  gpus?: number;
  isTurbine?: boolean;
  ipBase: string;
  index: number;
  rng: Rng;
}

function makeNode(o: NodeOptions): NodeSpec {
  const isPi = o.arch === "arm64" && o.memoryMi <= 8192 && o.cpuCores === 4;
  return {
    name: o.name,
    roles: o.roles,
    arch: o.arch,
    cpuCores: o.cpuCores,
    memoryMi: o.memoryMi,
    gpus: o.gpus ?? 0,
    osImage: isPi
      ? "Debian GNU/Linux 12 (bookworm)"
      : o.rng.pick(["Ubuntu 22.04.5 LTS", "Ubuntu 24.04.1 LTS", "SUSE Linux Enterprise Micro 5.5"]),
    kernelVersion: isPi ? "6.6.51+rpt-rpi-v8" : o.rng.pick(["5.15.0-126-generic", "6.8.0-49-generic"]),
    internalIp: `${o.ipBase}.${10 + o.index}`,
    isTurbine: o.isTurbine ?? false,
    seed: o.rng.int(1, 2 ** 31 - 1),
  };
}

const SERVER_ROLES: NodeRole[] = ["control-plane", "master"];
const ETCD_ROLES: NodeRole[] = ["control-plane", "etcd", "master"];

function cluster(
  site: string,
  name: string,
  role: ClusterRole,
  rng: Rng,
  nodes: (r: Rng) => NodeSpec[],
  hasDedicatedPort = false,
): ClusterSpec {
  const r = rng.fork(`${site}/${name}`);
  return {
    site,
    name,
    role,
    k3sVersion: r.pick(K3S_VERSIONS),
    nodes: nodes(r),
    clientCertDays: 365,
    hasDedicatedPort,
    seed: hashString(`${site}/${name}`),
  };
}

export function windFarm(
  slug: string,
  label: string,
  lat: number,
  lon: number,
  turbines: number,
  rng: Rng,
): SiteSpec {
  const clusters: ClusterSpec[] = [
    cluster(slug, "control-center", "farm-control", rng, (r) =>
      [1, 2, 3].map((i) =>
        makeNode({
          name: `cc-server-${i}`,
          roles: ETCD_ROLES,
          arch: "amd64",
          cpuCores: 8,
          memoryMi: 8192,
          gpus: i === 1 && r.chance(0.5) ? 1 : 0,
          ipBase: "10.20.0",
          index: i,
          rng: r,
        }),
      ),
    ),
  ];
  for (let t = 1; t <= turbines; t++) {
    const name = `turbine-${pad(t)}`;
    clusters.push(
      cluster(slug, name, "turbine", rng, (r) => {
        const arch: NodeArch = r.chance(0.6) ? "arm64" : "amd64";
        return [
          makeNode({
            name: `t${pad(t)}-node`,
            roles: SERVER_ROLES,
            arch,
            cpuCores: 4,
            memoryMi: r.pick([2048, 4096, 4096, 8192]),
            gpus: r.chance(0.1) ? 1 : 0,
            isTurbine: true,
            ipBase: `10.21.${t}`,
            index: 1,
            rng: r,
          }),
        ];
      }),
    );
  }
  return {
    slug,
    name: label,
    kind: "wind-farm",
    lat: round(lat),
    lon: round(lon),
    labels: { "outpost.dev/kind": "wind-farm", "outpost.dev/turbines": String(turbines) },
    offlineWindows: [],
    clusters,
  };
}

export function store(
  slug: string,
  label: string,
  lat: number,
  lon: number,
  country: string,
  nodeCount: number,
  rng: Rng,
  hardware?: "rpi" | "nuc",
): SiteSpec {
  const isPiStore = hardware ? hardware === "rpi" : rng.chance(0.6);
  return {
    slug,
    name: label,
    kind: "store",
    lat: round(lat),
    lon: round(lon),
    labels: {
      "outpost.dev/kind": "store",
      "outpost.dev/country": country,
      "outpost.dev/hardware": isPiStore ? "rpi" : "nuc",
    },
    offlineWindows: [],
    clusters: [
      cluster(slug, "edge", "store", rng, (r) =>
        Array.from({ length: nodeCount }, (_, i) =>
          makeNode({
            name: isPiStore ? `pi-${pad(i + 1)}` : `nuc-${pad(i + 1)}`,
            roles: i === 0 ? SERVER_ROLES : [],
            arch: isPiStore ? "arm64" : "amd64",
            cpuCores: 4,
            memoryMi: isPiStore ? r.pick([1024, 2048, 4096, 8192]) : r.pick([4096, 8192]),
            ipBase: "192.168.10",
            index: i + 1,
            rng: r,
          }),
        ),
      ),
    ],
  };
}

export function vehicle(slug: string, label: string, lat: number, lon: number, rng: Rng): SiteSpec {
  const r = rng.fork(`${slug}:windows`);
  const isJetson = r.chance(0.4);
  const windows: OfflineWindow[] = [
    {
      kind: "nightly",
      startMinuteUtc: r.int(22 * 60, 23 * 60 + 30) % 1440,
      durationMinutes: r.int(120, 360),
    },
  ];
  const randomCount = r.int(1, 2);
  for (let i = 0; i < randomCount; i++) {
    windows.push({ kind: "random", offsetMinutes: r.int(30, 20 * 60), durationMinutes: r.int(5, 45) });
  }
  return {
    slug,
    name: label,
    kind: "vehicle",
    lat: round(lat),
    lon: round(lon),
    labels: { "outpost.dev/kind": "vehicle", "outpost.dev/link": r.pick(["cellular", "satellite"]) },
    offlineWindows: windows,
    clusters: [
      cluster(
        slug,
        "truck",
        "vehicle",
        rng,
        (cr) => [
          makeNode({
            name: isJetson ? "jetson" : "rugged-pc",
            roles: SERVER_ROLES,
            arch: isJetson ? "arm64" : "amd64",
            cpuCores: isJetson ? 6 : 4,
            memoryMi: isJetson ? 8192 : cr.pick([4096, 8192]),
            gpus: isJetson ? 1 : 0,
            ipBase: "172.16.0",
            index: 1,
            rng: cr,
          }),
        ],
        true,
      ),
    ],
  };
}

export function factory(
  slug: string,
  label: string,
  lat: number,
  lon: number,
  country: string,
  rng: Rng,
): SiteSpec {
  const gateways = rng.int(1, 2);
  return {
    slug,
    name: label,
    kind: "factory",
    lat: round(lat),
    lon: round(lon),
    labels: { "outpost.dev/kind": "factory", "outpost.dev/country": country },
    offlineWindows: [],
    clusters: Array.from({ length: gateways }, (_, g) =>
      cluster(slug, `gateway-${g + 1}`, "gateway", rng, (r) =>
        Array.from({ length: r.int(1, 2) }, (_, i) =>
          makeNode({
            name: `gw${g + 1}-node-${i + 1}`,
            roles: i === 0 ? SERVER_ROLES : [],
            arch: "amd64",
            cpuCores: 4,
            memoryMi: r.pick([4096, 8192]),
            ipBase: `10.40.${g + 1}`,
            index: i + 1,
            rng: r,
          }),
        ),
      ),
    ),
  };
}

/** A point along the straight line between two cities: close enough to "on a road" for a map. */
function onRoad(rng: Rng): [number, number] {
  const a = rng.pick(CITIES);
  const b = rng.pick(CITIES.filter((c) => c[3] === a[3] && c !== a).concat([rng.pick(CITIES)]));
  const t = rng.next();
  return [a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export interface GenerateOptions {
  sites: number;
  seed?: number;
  /** restrict the mix, e.g. ["store"] for a uniform benchmark fleet */
  kinds?: SiteKind[];
}

export function generateFleet(options: GenerateOptions): FleetSpec {
  const seed = options.seed ?? 1;
  const rng = createRng(seed);
  const counters = new Map<string, number>();
  const nextIndex = (base: string) => {
    const n = (counters.get(base) ?? 0) + 1;
    counters.set(base, n);
    return n;
  };
  const sites: SiteSpec[] = [];
  const kinds = options.kinds ?? ["wind-farm", "store", "vehicle", "factory"];
  for (let i = 0; i < options.sites; i++) {
    const kind = i < kinds.length ? kinds[i] : pickKind(rng, kinds);
    sites.push(makeSite(kind ?? "store", rng, nextIndex));
  }
  return { seed, sites };
}

function pickKind(rng: Rng, kinds: SiteKind[]): SiteKind {
  const weights: Record<SiteKind, number> = { "wind-farm": 4, store: 60, vehicle: 26, factory: 10, other: 0 };
  const total = kinds.reduce((sum, k) => sum + weights[k], 0);
  let roll = rng.next() * total;
  for (const k of kinds) {
    roll -= weights[k];
    if (roll < 0) return k;
  }
  return kinds[0] ?? "store";
}

function makeSite(kind: SiteKind, rng: Rng, nextIndex: (base: string) => number): SiteSpec {
  switch (kind) {
    case "wind-farm": {
      const [area, lat, lon] = rng.pick(WIND_AREAS);
      const n = nextIndex(`wf-${area}`);
      const pretty = area.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase());
      return windFarm(
        `wf-${area}-${n}`,
        `${pretty} Wind ${n}`,
        lat + rng.next() * 0.3,
        lon + rng.next() * 0.3,
        rng.int(10, 40),
        rng,
      );
    }
    case "vehicle": {
      const n = nextIndex("truck");
      const [lat, lon] = onRoad(rng);
      return vehicle(`truck-${pad(n, 3)}`, `Service truck ${pad(n, 3)}`, lat, lon, rng);
    }
    case "factory": {
      const city = rng.pick(FACTORY_CITIES);
      const [lat, lon, country] = FACTORY_COORDS[city] ?? [48.8, 9.2, "DE"];
      const n = nextIndex(`factory-${city}`);
      const pretty = city.charAt(0).toUpperCase() + city.slice(1);
      return factory(
        `factory-${city}-${n}`,
        `${pretty} plant ${n}`,
        lat + rng.next() * 0.05,
        lon,
        country,
        rng,
      );
    }
    default: {
      const [city, lat, lon, country] = rng.pick(CITIES);
      const n = nextIndex(`store-${city}`);
      const pretty = city.charAt(0).toUpperCase() + city.slice(1);
      return store(
        `store-${city}-${pad(n)}`,
        `${pretty} store ${pad(n)}`,
        lat + (rng.next() - 0.5) * 0.08,
        lon + (rng.next() - 0.5) * 0.08,
        country,
        rng.pick([1, 1, 2, 3, 3]),
        rng,
      );
    }
  }
}

/**
 * The demo fleet: 30 sites with fixed slugs so the demo scenario can name them.
 * Slugs used by scenarios/demo.json: wf-north-sea-1/turbine-07, store-berlin-01,
 * truck-003, store-paris-01 (certificate expiring in 10 days), store-munich-01 (3 nodes).
 */
export function demoFleet(seed = 42): FleetSpec {
  const rng = createRng(seed);
  const sites: SiteSpec[] = [
    windFarm("wf-north-sea-1", "North Sea Wind 1", 54.35, 6.25, 20, rng),
    windFarm("wf-galicia-1", "Galicia Wind 1", 43.35, -8.6, 12, rng),
  ];
  const storeCities = [
    "berlin",
    "munich",
    "paris",
    "hamburg",
    "cologne",
    "lyon",
    "madrid",
    "barcelona",
    "lisbon",
    "milan",
    "vienna",
    "zurich",
    "amsterdam",
    "copenhagen",
    "warsaw",
    "dublin",
    "london",
    "atlanta",
  ];
  for (const city of storeCities) {
    const entry = CITIES.find((c) => c[0] === city);
    if (!entry) continue;
    const nodes = city === "munich" ? 3 : city === "berlin" ? 2 : rng.pick([1, 1, 2, 3]);
    const pretty = city.charAt(0).toUpperCase() + city.slice(1);
    const hardware = city === "munich" ? "rpi" : undefined;
    sites.push(
      store(`store-${city}-01`, `${pretty} store 01`, entry[1], entry[2], entry[3], nodes, rng, hardware),
    );
  }
  for (let i = 1; i <= 8; i++) {
    const [lat, lon] = onRoad(rng);
    sites.push(vehicle(`truck-${pad(i, 3)}`, `Service truck ${pad(i, 3)}`, lat, lon, rng));
  }
  sites.push(factory("factory-stuttgart-1", "Stuttgart plant 1", 48.775, 9.182, "DE", rng));
  sites.push(factory("factory-turin-1", "Turin plant 1", 45.07, 7.687, "IT", rng));
  const paris = sites.find((s) => s.slug === "store-paris-01")?.clusters[0];
  if (paris) paris.clientCertDays = 10;
  // The store that goes dark refuses connections for real, so it needs its own port.
  const berlin = sites.find((s) => s.slug === "store-berlin-01")?.clusters[0];
  if (berlin) berlin.hasDedicatedPort = true;
  return { seed, sites };
}

export function telemetryNodes(fleet: FleetSpec): TelemetryNode[] {
  const out: TelemetryNode[] = [];
  for (const site of fleet.sites) {
    for (const c of site.clusters) {
      for (const n of c.nodes) {
        out.push({
          site: site.slug,
          siteKind: site.kind,
          cluster: c.name,
          node: n.name,
          isTurbine: n.isTurbine,
          seed: n.seed,
        });
      }
    }
  }
  return out;
}

const MINUTE_MS = 60_000;

/** Whether a vehicle is out of coverage at `now` according to its schedule. */
export function isInOfflineWindow(site: SiteSpec, startedAtMs: number, nowMs: number): boolean {
  for (const w of site.offlineWindows) {
    if (w.kind === "random") {
      const start = startedAtMs + w.offsetMinutes * MINUTE_MS;
      if (nowMs >= start && nowMs < start + w.durationMinutes * MINUTE_MS) return true;
    } else {
      const minuteOfDay = Math.floor(nowMs / MINUTE_MS) % 1440;
      const since = (minuteOfDay - w.startMinuteUtc + 1440) % 1440;
      if (since < w.durationMinutes) return true;
    }
  }
  return false;
}
