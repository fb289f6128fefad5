// The temperature threshold chain: fleet default → site kind → site → cluster →
// node. The most specific level that sets a value wins, and every answer says
// where it came from, so "82 °C, set on this site" and "80 °C, fleet default"
// are computed once, here, for health, the hottest list, charts and alerts.
// Pure: the server module (thresholds-store.ts) loads the rows.

export const THRESHOLD_LEVELS = ["fleet", "kind", "site", "cluster", "node"] as const;
export type ThresholdLevel = (typeof THRESHOLD_LEVELS)[number];

/** One stored level of the chain (a row of TemperatureThreshold, or the configured fleet default). */
export interface ThresholdSetting {
  level: ThresholdLevel;
  /** fleet: ""; kind: the kind; site: site id; cluster: cluster id; node: nodeKey(clusterId, node) */
  scopeKey: string;
  warnCelsius: number;
  criticalCelsius: number | null;
  /** human name of the scope ("Wind farm", the site's, cluster's or node's name) for sentences */
  scopeName?: string;
}

export interface ThresholdSource {
  level: ThresholdLevel;
  /** the scope's name when the level has one (kind label, site, cluster or node name) */
  name: string | null;
}

export interface EffectiveThreshold {
  /** "hot" / warning above this (°C) */
  celsius: number;
  source: ThresholdSource;
  /** critical above this (°C) when some level sets one above the warning level */
  critical: { celsius: number; source: ThresholdSource } | null;
}

/** Where a node sits in the fleet; cluster and node are optional (site-level questions). */
export interface ThresholdTarget {
  kind: string;
  siteId: string;
  clusterId?: string | null;
  /** node name as Kubernetes (and the telemetry host tag) knows it */
  node?: string | null;
}

/** Node names are unique within a cluster, not across a site. */
export function nodeKey(clusterId: string, node: string): string {
  return `${clusterId}/${node}`;
}

export interface ThresholdChain {
  fleet: ThresholdSetting;
  byLevel: Record<Exclude<ThresholdLevel, "fleet">, Map<string, ThresholdSetting>>;
  /** node settings by "siteId/node" for telemetry hosts whose cluster is unknown */
  nodesBySite: Map<string, ThresholdSetting>;
}

/**
 * Builds the lookup once per evaluation. `nodeSites` maps a node setting's
 * cluster id to its site id, so a host that telemetry could not join to a
 * cluster still finds its node override by name within its site.
 */
export function buildThresholdChain(
  fleetDefault: { warnCelsius: number; criticalCelsius: number | null },
  settings: readonly ThresholdSetting[],
  clusterSites: ReadonlyMap<string, string> = new Map(),
): ThresholdChain {
  let fleet: ThresholdSetting = { level: "fleet", scopeKey: "", ...fleetDefault };
  const byLevel: ThresholdChain["byLevel"] = {
    kind: new Map(),
    site: new Map(),
    cluster: new Map(),
    node: new Map(),
  };
  const nodesBySite = new Map<string, ThresholdSetting>();
  for (const s of settings) {
    if (s.level === "fleet") {
      fleet = s;
      continue;
    }
    byLevel[s.level].set(s.scopeKey, s);
    if (s.level === "node") {
      const slash = s.scopeKey.indexOf("/");
      const siteId = clusterSites.get(s.scopeKey.slice(0, slash));
      if (slash > 0 && siteId) nodesBySite.set(`${siteId}/${s.scopeKey.slice(slash + 1)}`, s);
    }
  }
  return { fleet, byLevel, nodesBySite };
}

/** Most specific first. */
function settingsFor(chain: ThresholdChain, t: ThresholdTarget): ThresholdSetting[] {
  const out: ThresholdSetting[] = [];
  const push = (s: ThresholdSetting | undefined) => {
    if (s) out.push(s);
  };
  if (t.node) {
    push(
      t.clusterId
        ? chain.byLevel.node.get(nodeKey(t.clusterId, t.node))
        : chain.nodesBySite.get(`${t.siteId}/${t.node}`),
    );
  }
  if (t.clusterId) push(chain.byLevel.cluster.get(t.clusterId));
  push(chain.byLevel.site.get(t.siteId));
  push(chain.byLevel.kind.get(t.kind));
  out.push(chain.fleet);
  return out;
}

function sourceOf(s: ThresholdSetting): ThresholdSource {
  return { level: s.level, name: s.scopeName ?? null };
}

/**
 * The effective threshold for a node (or a site, without cluster/node). The
 * warning level comes from the most specific level; critical resolves the same
 * way on its own, and is dropped when it would not be above the warning level
 * (an override of the warning level to 95 °C must not leave an inherited 90 °C
 * "critical" below it).
 */
export function resolveThreshold(chain: ThresholdChain, target: ThresholdTarget): EffectiveThreshold {
  const levels = settingsFor(chain, target);
  const warn = levels[0] ?? chain.fleet;
  const crit = levels.find((s) => s.criticalCelsius !== null);
  const critical =
    crit && crit.criticalCelsius !== null && crit.criticalCelsius > warn.warnCelsius
      ? { celsius: crit.criticalCelsius, source: sourceOf(crit) }
      : null;
  return { celsius: warn.warnCelsius, source: sourceOf(warn), critical };
}

const KIND_LABELS: Record<string, string> = {
  "wind-farm": "wind farms",
  store: "stores",
  vehicle: "vehicles",
  factory: "factories",
  other: "other sites",
};

/**
 * Where a value came from, as a page shows it. `viewpoint` is the scope the
 * reader is looking at, so a site page says "set on this site" and the fleet
 * list says "set on site Berlin".
 */
export function describeSource(source: ThresholdSource, viewpoint: ThresholdLevel | null = null): string {
  switch (source.level) {
    case "fleet":
      return "fleet default";
    case "kind":
      return `default for ${KIND_LABELS[source.name ?? ""] ?? source.name ?? "this kind"}`;
    case "site":
      return viewpoint === "site" || !source.name ? "set on this site" : `set on site ${source.name}`;
    case "cluster":
      return viewpoint === "cluster" || !source.name
        ? "set on this cluster"
        : `set on cluster ${source.name}`;
    case "node":
      return viewpoint === "node" || !source.name ? "set on this node" : `set on node ${source.name}`;
  }
}

/** "82 °C, set on this site" */
export function describeThreshold(t: EffectiveThreshold, viewpoint: ThresholdLevel | null = null): string {
  return `${formatLevel(t.celsius)}, ${describeSource(t.source, viewpoint)}`;
}

function formatLevel(c: number): string {
  return `${Number.isInteger(c) ? c : c.toFixed(1)} °C`;
}
