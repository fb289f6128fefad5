// What the simulator hands to Outpost: a manifest of the fleet plus one
// k3s.yaml-style kubeconfig per cluster.
import { stringify } from "yaml";
import type { ClusterRuntime } from "./cluster";
import type { FleetSpec, NodeArch, NodeRole } from "./fleet";
import type { SiteKind } from "./telemetry/contract";

export interface ManifestNode {
  name: string;
  roles: NodeRole[];
  arch: NodeArch;
  cpuCores: number;
  memoryMi: number;
  gpus: number;
}

export interface ManifestCluster {
  site: string;
  name: string;
  /** path of the kubeconfig relative to the manifest's directory */
  kubeconfig: string;
  server: string;
  tlsServerName: string;
  k3sVersion: string;
  clientCertExpiresAt: string;
  hasDedicatedPort: boolean;
  tokens: { admin: string; readOnly: string };
  nodes: ManifestNode[];
}

export type ManifestOfflineWindow =
  | { kind: "nightly"; startMinuteUtc: number; durationMinutes: number }
  | { kind: "random"; startsAt: string; endsAt: string };

export interface ManifestSite {
  slug: string;
  name: string;
  kind: SiteKind;
  lat: number;
  lon: number;
  labels: Record<string, string>;
  offlineWindows: ManifestOfflineWindow[];
  clusters: ManifestCluster[];
  // The same site in Outpost's inventory format (what `readFleetDirectory` reads), so
  // Outpost needs no knowledge of the simulator's own fields above.
  latitude: number;
  longitude: number;
  contactMode: "continuous" | "intermittent";
  /** nightly windows only: random outages have no schedule an operator could enter */
  expectedOfflineWindows: { start: string; end: string; timeZone: "UTC" }[];
}

function hhmm(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

export interface SimManifest {
  version: 1;
  generatedAt: string;
  seed: number;
  controlUrl: string;
  sites: ManifestSite[];
}

export interface KubeconfigOptions {
  server: string;
  /** bearer token instead of the client certificate */
  token?: string;
}

export function renderKubeconfig(runtime: ClusterRuntime, options: KubeconfigOptions): string {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  const key = runtime.pki.adminCert.keyPair.privateKey.export({ type: "sec1", format: "pem" }).toString();
  const user = options.token
    ? { token: options.token }
    : { "client-certificate-data": b64(runtime.pki.adminCert.cert), "client-key-data": b64(key) };
  return stringify({
    apiVersion: "v1",
    clusters: [
      {
        cluster: {
          "certificate-authority-data": b64(runtime.pki.serverCa.cert),
          server: options.server,
          "tls-server-name": runtime.serverName,
        },
        name: "default",
      },
    ],
    contexts: [{ context: { cluster: "default", user: "default" }, name: "default" }],
    "current-context": "default",
    kind: "Config",
    preferences: {},
    users: [{ name: "default", user }],
  });
}

export function buildManifest(
  fleet: FleetSpec,
  runtimes: Map<string, ClusterRuntime>,
  serverOf: (runtime: ClusterRuntime) => string,
  controlUrl: string,
  startedAt: number,
): SimManifest {
  return {
    version: 1,
    generatedAt: new Date(startedAt).toISOString(),
    seed: fleet.seed,
    controlUrl,
    sites: fleet.sites.map((site) => ({
      slug: site.slug,
      name: site.name,
      kind: site.kind,
      lat: site.lat,
      lon: site.lon,
      labels: site.labels,
      latitude: site.lat,
      longitude: site.lon,
      contactMode:
        site.offlineWindows.length > 0 || site.kind === "vehicle"
          ? ("intermittent" as const)
          : ("continuous" as const),
      expectedOfflineWindows: site.offlineWindows.flatMap((w) =>
        w.kind === "nightly"
          ? [
              {
                start: hhmm(w.startMinuteUtc),
                end: hhmm(w.startMinuteUtc + w.durationMinutes),
                timeZone: "UTC" as const,
              },
            ]
          : [],
      ),
      offlineWindows: site.offlineWindows.map((w) =>
        w.kind === "nightly"
          ? w
          : {
              kind: "random" as const,
              startsAt: new Date(startedAt + w.offsetMinutes * 60_000).toISOString(),
              endsAt: new Date(startedAt + (w.offsetMinutes + w.durationMinutes) * 60_000).toISOString(),
            },
      ),
      clusters: site.clusters.map((c) => {
        const runtime = runtimes.get(`${site.slug}/${c.name}`);
        if (!runtime) throw new Error(`no runtime for ${site.slug}/${c.name}`);
        return {
          site: site.slug,
          name: c.name,
          kubeconfig: `${site.slug}/${c.name}.yaml`,
          server: serverOf(runtime),
          tlsServerName: runtime.serverName,
          k3sVersion: c.k3sVersion,
          clientCertExpiresAt: runtime.pki.adminCert.notAfter.toISOString(),
          hasDedicatedPort: c.hasDedicatedPort,
          tokens: { admin: runtime.pki.adminToken, readOnly: runtime.pki.readOnlyToken },
          nodes: c.nodes.map((n) => ({
            name: n.name,
            roles: n.roles,
            arch: n.arch,
            cpuCores: n.cpuCores,
            memoryMi: n.memoryMi,
            gpus: n.gpus,
          })),
        };
      }),
    })),
  };
}
