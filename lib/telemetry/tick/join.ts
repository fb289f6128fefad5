import "server-only";
import { db } from "@/lib/db/client";
import type { DataSource } from "@/lib/generated/prisma/client";
import { nodeIndex } from "../data-sources";
import type { Mapping } from "../schemas";
import { sourceFor } from "../site-source";
import type { JoinFn } from "./reduce";

// Which registered site and cluster a host's points belong to: by the site and
// cluster tags the points carry, or (join "host") by the node names the collector
// saw. Built once per tick from a registry snapshot that is reused for a while.

/** The registry changes rarely; a tick reuses its picture of it this long. */
export const REGISTRY_CACHE_MS = 15_000;

export interface RegistrySite {
  id: string;
  slug: string;
  name: string;
  kind: string;
  dataSourceId: string | null;
  clusters: { id: string; name: string }[];
}

const globalRegistry = globalThis as unknown as {
  outpostTickRegistry?: { at: number; value: Promise<RegistrySite[]> };
};

export function registrySites(now: number): Promise<RegistrySite[]> {
  const cached = globalRegistry.outpostTickRegistry;
  if (cached && now - cached.at >= 0 && now - cached.at < REGISTRY_CACHE_MS) return cached.value;
  const value = db().site.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      dataSourceId: true,
      clusters: { select: { id: true, name: true } },
    },
  });
  globalRegistry.outpostTickRegistry = { at: now, value };
  value.catch(() => {
    if (globalRegistry.outpostTickRegistry?.value === value) globalRegistry.outpostTickRegistry = undefined;
  });
  return value;
}

/** Registry changes (tests, the summary) can make the next tick see them at once. */
export function forgetRegistry(): void {
  globalRegistry.outpostTickRegistry = undefined;
}

export interface SourceJoin {
  join: JoinFn;
  /** the registered sites that read this source */
  sites: RegistrySite[];
  /** node names the registry expects to report to this source (probed when silent) */
  expectedHosts: Set<string>;
}

export async function joinForSource(
  source: DataSource,
  m: Mapping,
  sources: readonly DataSource[],
  now: number,
): Promise<SourceJoin> {
  const sites = (await registrySites(now)).filter((s) => sourceFor(sources, s)?.id === source.id);
  const index = await nodeIndex(now);
  const siteIds = new Set(sites.map((s) => s.id));
  const expectedHosts = new Set<string>();
  for (const [host, home] of index) if (siteIds.has(home.siteId)) expectedHosts.add(host);
  if (m.join === "host") {
    return {
      sites,
      expectedHosts,
      join: (id) => {
        const home = index.get(id.host);
        return home && siteIds.has(home.siteId)
          ? { siteId: home.siteId, clusterId: home.clusterId }
          : { siteId: null, clusterId: null };
      },
    };
  }
  const byTag = new Map<string, RegistrySite>();
  for (const s of sites) byTag.set(m.siteValue === "slug" ? s.slug : s.name, s);
  return {
    sites,
    expectedHosts,
    join: (id) => {
      const site = byTag.get(id.siteTag);
      if (!site) return { siteId: null, clusterId: null };
      return { siteId: site.id, clusterId: site.clusters.find((c) => c.name === id.clusterTag)?.id ?? null };
    },
  };
}
