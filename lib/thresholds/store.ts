import "server-only";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { markAllSitesDue, markSitesDue } from "@/lib/fleet/summary/marks";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  buildThresholdChain,
  type EffectiveThreshold,
  nodeKey,
  resolveThreshold,
  type ThresholdChain,
  type ThresholdSetting,
} from "./chain";
import type { ThresholdScope } from "./schemas";

// Loads the threshold chain from the database. Every reader (fleet roll-up,
// hottest list, charts, the alert evaluator) asks `thresholdChain()` and then
// the pure resolver, so there is one answer to "what is hot here?".

/** Readers poll often; a write clears the cache at once in this process. */
export const THRESHOLD_CACHE_MS = 2_000;

const globalCache = globalThis as unknown as {
  outpostThresholdChain?: { at: number; value: Promise<ThresholdChain> };
};

/** The configured fleet default, used until an admin stores a fleet row. */
export function configuredFleetDefault(): { warnCelsius: number; criticalCelsius: number | null } {
  return { warnCelsius: env().OUTPOST_TEMP_WARN_CELSIUS, criticalCelsius: null };
}

async function loadChain(): Promise<ThresholdChain> {
  const rows = await db().temperatureThreshold.findMany({
    select: {
      level: true,
      scopeKey: true,
      warnCelsius: true,
      criticalCelsius: true,
      siteId: true,
      clusterId: true,
      site: { select: { name: true } },
      cluster: { select: { name: true } },
    },
  });
  const clusterSites = new Map<string, string>();
  const settings: ThresholdSetting[] = rows.map((r) => {
    if (r.clusterId && r.siteId) clusterSites.set(r.clusterId, r.siteId);
    const scopeName =
      r.level === "kind"
        ? r.scopeKey
        : r.level === "site"
          ? r.site?.name
          : r.level === "cluster"
            ? r.cluster?.name
            : r.level === "node"
              ? r.scopeKey.slice(r.scopeKey.indexOf("/") + 1)
              : undefined;
    return {
      level: r.level as ThresholdSetting["level"],
      scopeKey: r.scopeKey,
      warnCelsius: r.warnCelsius,
      criticalCelsius: r.criticalCelsius,
      ...(scopeName ? { scopeName } : {}),
    };
  });
  return buildThresholdChain(configuredFleetDefault(), settings, clusterSites);
}

/** The whole chain (a few rows per overriding site), cached for a moment. */
export function thresholdChain(now = Date.now()): Promise<ThresholdChain> {
  const cached = globalCache.outpostThresholdChain;
  if (cached && now - cached.at < THRESHOLD_CACHE_MS) return cached.value;
  const value = loadChain();
  globalCache.outpostThresholdChain = { at: now, value };
  value.catch(() => {
    if (globalCache.outpostThresholdChain?.value === value) globalCache.outpostThresholdChain = undefined;
  });
  return value;
}

export function invalidateThresholdChain(): void {
  globalCache.outpostThresholdChain = undefined;
}

/** The chain as stored now (another process may have changed it within the cache time): the fleet summary and the tick. */
export function freshThresholdChain(now = Date.now()): Promise<ThresholdChain> {
  invalidateThresholdChain();
  return thresholdChain(now);
}

interface ScopeRow {
  level: ThresholdSetting["level"];
  scopeKey: string;
  siteId: string | null;
  clusterId: string | null;
}

/** Checks the scope exists and returns where its row lives. */
async function scopeRow(scope: ThresholdScope, tx: Prisma.TransactionClient = db()): Promise<ScopeRow> {
  switch (scope.level) {
    case "fleet":
      return { level: "fleet", scopeKey: "", siteId: null, clusterId: null };
    case "kind":
      return { level: "kind", scopeKey: scope.kind, siteId: null, clusterId: null };
    case "site": {
      const site = await tx.site.findUnique({ where: { id: scope.siteId }, select: { id: true } });
      if (!site) throw new AppError("not_found", "Site not found");
      return { level: "site", scopeKey: site.id, siteId: site.id, clusterId: null };
    }
    case "cluster":
    case "node": {
      const cluster = await tx.cluster.findUnique({
        where: { id: scope.clusterId },
        select: { id: true, siteId: true },
      });
      if (!cluster) throw new AppError("not_found", "Cluster not found");
      return scope.level === "cluster"
        ? { level: "cluster", scopeKey: cluster.id, siteId: cluster.siteId, clusterId: cluster.id }
        : {
            level: "node",
            scopeKey: nodeKey(cluster.id, scope.node),
            siteId: cluster.siteId,
            clusterId: cluster.id,
          };
    }
  }
}

/**
 * The fleet summary's "hot" depends on the chain: the sites a level covers are
 * recomputed (marked in the writer's transaction, so no recomputation misses it).
 */
async function markCovered(where: ScopeRow, client: Prisma.TransactionClient): Promise<void> {
  if (where.siteId !== null) for (const mark of markSitesDue([where.siteId], client)) await mark;
  else await markAllSitesDue(client);
}

export interface StoredThreshold {
  level: ThresholdSetting["level"];
  scopeKey: string;
  siteId: string | null;
  clusterId: string | null;
  warnCelsius: number;
  criticalCelsius: number | null;
  updatedBy: string | null;
  updatedAt: string;
}

function toStored(r: {
  level: string;
  scopeKey: string;
  siteId: string | null;
  clusterId: string | null;
  warnCelsius: number;
  criticalCelsius: number | null;
  updatedBy: string | null;
  updatedAt: Date;
}): StoredThreshold {
  return {
    level: r.level as StoredThreshold["level"],
    scopeKey: r.scopeKey,
    siteId: r.siteId,
    clusterId: r.clusterId,
    warnCelsius: r.warnCelsius,
    criticalCelsius: r.criticalCelsius,
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function setThreshold(
  scope: ThresholdScope,
  value: { warnCelsius: number; criticalCelsius: number | null },
  actorName: string | null,
  tx?: Prisma.TransactionClient,
): Promise<StoredThreshold> {
  const client = tx ?? db();
  const where = await scopeRow(scope, client);
  const data = {
    warnCelsius: value.warnCelsius,
    criticalCelsius: value.criticalCelsius,
    updatedBy: actorName,
  };
  const row = await client.temperatureThreshold.upsert({
    where: { level_scopeKey: { level: where.level, scopeKey: where.scopeKey } },
    create: { ...where, ...data },
    update: data,
  });
  await markCovered(where, client);
  invalidateThresholdChain();
  return toStored(row);
}

/** Removes one level's own value: the scope inherits again. True when something was removed. */
export async function clearThreshold(scope: ThresholdScope, tx?: Prisma.TransactionClient): Promise<boolean> {
  const client = tx ?? db();
  const where = await scopeRow(scope, client);
  const { count } = await client.temperatureThreshold.deleteMany({
    where: { level: where.level, scopeKey: where.scopeKey },
  });
  if (count > 0) await markCovered(where, client);
  invalidateThresholdChain();
  return count > 0;
}

/** The site level's own value (null = inherits): what the site form shows as "hot above". */
export async function siteLevelCelsius(
  siteIds: readonly string[],
  client: Prisma.TransactionClient = db(),
): Promise<Map<string, number>> {
  if (siteIds.length === 0) return new Map();
  const rows = await client.temperatureThreshold.findMany({
    where: { level: "site", scopeKey: { in: [...siteIds] } },
    select: { scopeKey: true, warnCelsius: true },
  });
  return new Map(rows.map((r) => [r.scopeKey, r.warnCelsius]));
}

export interface NodeThreshold {
  clusterId: string;
  clusterName: string;
  node: string;
  effective: EffectiveThreshold;
  /** this node's own value, when set */
  own: StoredThreshold | null;
}

export interface SiteThresholds {
  siteId: string;
  /** what the site inherits without its own value (fleet default or its kind's) */
  inherited: EffectiveThreshold;
  effective: EffectiveThreshold;
  own: StoredThreshold | null;
  clusters: { clusterId: string; name: string; effective: EffectiveThreshold; own: StoredThreshold | null }[];
  nodes: NodeThreshold[];
  fleetDefault: EffectiveThreshold;
}

/** Everything the site page's threshold panel shows: each level with its effective value and source. */
export async function siteThresholds(siteId: string): Promise<SiteThresholds> {
  const site = await db().site.findUnique({
    where: { id: siteId },
    select: {
      id: true,
      kind: true,
      clusters: {
        orderBy: { name: "asc" },
        select: { id: true, name: true, status: { select: { snapshot: true } } },
      },
    },
  });
  if (!site) throw new AppError("not_found", "Site not found");
  invalidateThresholdChain();
  const [chain, own] = await Promise.all([
    thresholdChain(),
    db().temperatureThreshold.findMany({ where: { siteId } }),
  ]);
  const ownBy = new Map(own.map((r) => [`${r.level}\u0000${r.scopeKey}`, toStored(r)]));
  const target = { kind: site.kind, siteId: site.id };
  const withoutSite = buildThresholdChain(configuredFleetDefault(), [
    chain.fleet,
    ...chain.byLevel.kind.values(),
  ]);
  const nodes: NodeThreshold[] = [];
  const clusters: SiteThresholds["clusters"] = [];
  for (const c of site.clusters) {
    clusters.push({
      clusterId: c.id,
      name: c.name,
      effective: resolveThreshold(chain, { ...target, clusterId: c.id }),
      own: ownBy.get(`cluster\u0000${c.id}`) ?? null,
    });
    const names = new Set<string>();
    try {
      const snap = JSON.parse(c.status?.snapshot ?? "{}") as { nodes?: { name?: unknown }[] };
      for (const n of snap.nodes ?? []) if (typeof n.name === "string") names.add(n.name);
    } catch {
      // An unreadable snapshot lists no nodes; overrides stored for them still show below.
    }
    for (const r of own) {
      if (r.level === "node" && r.clusterId === c.id)
        names.add(r.scopeKey.slice(r.scopeKey.indexOf("/") + 1));
    }
    for (const node of [...names].sort((a, b) => a.localeCompare(b, "en", { numeric: true }))) {
      nodes.push({
        clusterId: c.id,
        clusterName: c.name,
        node,
        effective: resolveThreshold(chain, { ...target, clusterId: c.id, node }),
        own: ownBy.get(`node\u0000${nodeKey(c.id, node)}`) ?? null,
      });
    }
  }
  return {
    siteId: site.id,
    inherited: resolveThreshold(withoutSite, target),
    effective: resolveThreshold(chain, target),
    own: ownBy.get(`site\u0000${site.id}`) ?? null,
    clusters,
    nodes,
    fleetDefault: resolveThreshold(buildThresholdChain(configuredFleetDefault(), [chain.fleet]), {
      kind: "",
      siteId: "",
    }),
  };
}

export interface FleetThresholds {
  fleetDefault: EffectiveThreshold;
  configuredDefault: { warnCelsius: number; criticalCelsius: number | null };
  fleetRow: StoredThreshold | null;
  kinds: StoredThreshold[];
}

/** Fleet default and per-kind levels, for the alerts settings. */
export async function fleetThresholds(): Promise<FleetThresholds> {
  const rows = await db().temperatureThreshold.findMany({
    where: { level: { in: ["fleet", "kind"] } },
    orderBy: { scopeKey: "asc" },
  });
  const fleetRow = rows.find((r) => r.level === "fleet");
  const configured = configuredFleetDefault();
  return {
    fleetDefault: resolveThreshold(
      buildThresholdChain(configured, fleetRow ? [{ ...toStored(fleetRow), level: "fleet" }] : []),
      { kind: "", siteId: "" },
    ),
    configuredDefault: configured,
    fleetRow: fleetRow ? toStored(fleetRow) : null,
    kinds: rows.filter((r) => r.level === "kind").map(toStored),
  };
}
