import "server-only";
import type { DataSource } from "@/lib/generated/prisma/client";
import { type InfluxSeries, influxQuery } from "@/lib/influx/client";
import { loadDataSourceRows, nodeIndex, parseMapping, targetFor } from "@/lib/telemetry/data-sources";
import type { Mapping } from "@/lib/telemetry/schemas";
import { backfillStatement, backfillWindowMs, windowStatements } from "./queries";
import type { Sample } from "./state";

// What the evaluator reads from InfluxDB: ONE request per data source per
// evaluation (the window's highest temperature per host, each host's newest
// point, hosts with future-dated points), joined to registered sites; and, for
// a site whose buffered points arrived late, one bounded backfill request.

export interface SiteRef {
  id: string;
  slug: string;
  name: string;
  dataSourceId: string | null;
  clusters: { id: string; name: string }[];
}

export interface HostWindow {
  siteId: string;
  clusterId: string | null;
  host: string;
  /** the highest temperature in (from, to]; value null when the host sent none */
  live: Sample;
  lastPointAt: number | null;
  skewMs: number | null;
}

export interface SourceOutcome {
  sourceId: string;
  name: string;
  isOk: boolean;
  message: string | null;
  queryMs: number;
}

export interface WindowRead {
  hosts: HostWindow[];
  sources: SourceOutcome[];
  /** sites whose data source did not answer: their silence means nothing this time */
  unknownSites: Set<string>;
}

function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

function sourceFor(rows: DataSource[], site: { dataSourceId: string | null }): DataSource | undefined {
  if (site.dataSourceId) {
    const own = rows.find((r) => r.id === site.dataSourceId);
    if (own) return own;
  }
  return rows.find((r) => r.isDefault) ?? rows[0];
}

interface Joined {
  siteId: string;
  clusterId: string | null;
  host: string;
}

/** Maps a series' tags to a registered site (by tag or by the collector's node index). */
async function joiner(m: Mapping, members: readonly SiteRef[], now: number) {
  if (m.join === "tags") {
    const byKey = new Map(members.map((s) => [m.siteValue === "slug" ? s.slug : s.name, s]));
    return (tags: Record<string, string>): Joined | null => {
      const site = byKey.get(tags[m.siteTag] ?? "");
      const host = tags[m.hostTag] ?? "";
      if (!site || !host) return null;
      const cluster = m.clusterTag
        ? site.clusters.find((c) => c.name === tags[m.clusterTag ?? ""])
        : undefined;
      return { siteId: site.id, clusterId: cluster?.id ?? null, host };
    };
  }
  const index = await nodeIndex(now);
  const ids = new Set(members.map((s) => s.id));
  return (tags: Record<string, string>): Joined | null => {
    const host = tags[m.hostTag] ?? "";
    const home = index.get(host);
    if (!home || !ids.has(home.siteId)) return null;
    return { siteId: home.siteId, clusterId: home.clusterId, host };
  };
}

/** The newest row's time and value of a one-row selector series. */
function lastOf(s: InfluxSeries): { t: number; v: number | null } | null {
  const row = s.values[0];
  const t = num(row?.[0]);
  return t === null ? null : { t, v: num(row?.[1]) };
}

/** The highest temperature per host in (fromMs, toMs]; last points and wrong clocks as of nowMs. */
export async function readWindow(
  sites: readonly SiteRef[],
  fromMs: number,
  toMs: number,
  nowMs = toMs,
): Promise<WindowRead> {
  const out: WindowRead = { hosts: [], sources: [], unknownSites: new Set() };
  const rows = await loadDataSourceRows();
  if (rows.length === 0) {
    for (const s of sites) out.unknownSites.add(s.id);
    return out;
  }
  const groups = new Map<string, { row: DataSource; members: SiteRef[] }>();
  for (const s of sites) {
    const row = sourceFor(rows, s);
    if (!row) continue;
    const g = groups.get(row.id) ?? { row, members: [] };
    g.members.push(s);
    groups.set(row.id, g);
  }
  await Promise.all(
    [...groups.values()].map(async ({ row, members }) => {
      const m = parseMapping(row.mapping);
      const result = await influxQuery(
        targetFor(row),
        windowStatements(m, row.retentionPolicy, fromMs, toMs, nowMs),
        {
          now: nowMs,
        },
      );
      if (!result.ok) {
        out.sources.push({
          sourceId: row.id,
          name: row.name,
          isOk: false,
          message: result.message,
          queryMs: 0,
        });
        for (const s of members) out.unknownSites.add(s.id);
        return;
      }
      out.sources.push({
        sourceId: row.id,
        name: row.name,
        isOk: true,
        message: null,
        queryMs: result.elapsedMs,
      });
      const join = await joiner(m, members, nowMs);
      const byKey = new Map<string, HostWindow>();
      const entry = (tags: Record<string, string>): HostWindow | null => {
        const j = join(tags);
        if (!j) return null;
        const key = `${j.siteId}\u0000${j.host}`;
        let e = byKey.get(key);
        if (!e) {
          e = { ...j, live: { from: fromMs, to: toMs, value: null }, lastPointAt: null, skewMs: null };
          byKey.set(key, e);
        }
        return e;
      };
      const [maxes = [], lasts = [], future = []] = result.statements;
      for (const s of maxes) {
        const e = entry(s.tags);
        const v = lastOf(s)?.v ?? null;
        if (e && v !== null) e.live.value = e.live.value === null ? v : Math.max(e.live.value, v);
      }
      for (const s of lasts) {
        const e = entry(s.tags);
        const last = lastOf(s);
        if (e && last && (e.lastPointAt === null || last.t > e.lastPointAt)) e.lastPointAt = last.t;
      }
      for (const s of future) {
        const e = entry(s.tags);
        const last = lastOf(s);
        if (e && last) e.skewMs = last.t - nowMs;
      }
      out.hosts.push(...byKey.values());
    }),
  );
  return out;
}

export interface BackfillRequest {
  site: SiteRef;
  /** data was evaluated through here; the gap is (fromMs, toMs] */
  fromMs: number;
}

/** Per site and host, the highest temperature per window of the gap, oldest first. */
export async function readBackfill(
  requests: readonly BackfillRequest[],
  toMs: number,
  intervalMs: number,
): Promise<Map<string, Map<string, Sample[]>>> {
  const out = new Map<string, Map<string, Sample[]>>();
  if (requests.length === 0) return out;
  const rows = await loadDataSourceRows();
  const index = await nodeIndex(toMs);
  const bySource = new Map<string, { row: DataSource; items: BackfillRequest[] }>();
  for (const r of requests) {
    const row = sourceFor(rows, r.site);
    if (!row) continue;
    const g = bySource.get(row.id) ?? { row, items: [] };
    g.items.push(r);
    bySource.set(row.id, g);
  }
  await Promise.all(
    [...bySource.values()].map(async ({ row, items }) => {
      const m = parseMapping(row.mapping);
      const planned: { item: BackfillRequest; windowMs: number; statement: string }[] = [];
      for (const item of items) {
        const windowMs = backfillWindowMs(item.fromMs, toMs, intervalMs);
        let scope: { tag: string; value: string } | { hosts: string[] };
        if (m.join === "tags") {
          scope = { tag: m.siteTag, value: m.siteValue === "slug" ? item.site.slug : item.site.name };
        } else {
          const hosts = [...index].filter(([, home]) => home.siteId === item.site.id).map(([h]) => h);
          if (hosts.length === 0) continue;
          scope = { hosts };
        }
        planned.push({
          item,
          windowMs,
          statement: backfillStatement(m, row.retentionPolicy, scope, item.fromMs, toMs, windowMs),
        });
      }
      if (planned.length === 0) return;
      // One request for all of this source's returning sites.
      const result = await influxQuery(
        targetFor(row),
        planned.map((p) => p.statement),
        { now: toMs },
      );
      if (!result.ok) return;
      planned.forEach((p, i) => {
        const perHost = new Map<string, Sample[]>();
        for (const s of result.statements[i] ?? []) {
          const host = s.tags[m.hostTag] ?? "";
          if (!host) continue;
          const list = perHost.get(host) ?? [];
          for (const r of s.values) {
            const t = num(r[0]);
            const v = num(r[1]);
            if (t === null || v === null) continue;
            // A bucket [t, t + w) is judged at its end, and never past the gap.
            list.push({ from: t, to: Math.min(t + p.windowMs, toMs), value: v });
          }
          perHost.set(host, list);
        }
        for (const list of perHost.values()) list.sort((a, b) => a.to - b.to);
        out.set(p.item.site.id, perHost);
      });
    }),
  );
  return out;
}
