import "server-only";
import { db } from "@/lib/db/client";
import { influxQuery } from "@/lib/influx/client";
import { loadDataSourceRows, nodeIndex, parseMapping, targetFor } from "@/lib/telemetry/data-sources";
import { resolveThreshold } from "@/lib/thresholds/chain";
import { thresholdChain } from "@/lib/thresholds/store";
import { previewHost } from "./preview";
import { previewStatement } from "./queries";
import { isInScope, type RuleConfig } from "./rules";
import type { Sample } from "./state";

// "What would this rule have done over the last 24 h?", on the real data: one
// request per data source for the sites in scope, windows sized so the answer
// stays small at any fleet size, then the pure replay per host.

export const PREVIEW_RANGE_MS = 24 * 3_600_000;
/** hosts × windows per answer, at most about this many rows */
const MAX_ROWS = 200_000;

export interface RulePreview {
  from: string;
  to: string;
  windowMs: number;
  sites: number;
  hosts: number;
  firings: number;
  firingsWithoutHysteresis: number;
  /** the hosts that would have fired most, worst first */
  top: {
    site: string;
    host: string;
    firings: number;
    firingsWithoutHysteresis: number;
    lastFiredAt: string | null;
  }[];
  unavailable: string | null;
  note: string | null;
}

export async function previewRule(rule: RuleConfig, now = Date.now()): Promise<RulePreview> {
  const from = now - PREVIEW_RANGE_MS;
  const empty = (unavailable: string | null, note: string | null = null): RulePreview => ({
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    windowMs: 0,
    sites: 0,
    hosts: 0,
    firings: 0,
    firingsWithoutHysteresis: 0,
    top: [],
    unavailable,
    note,
  });
  if (rule.kind !== "temperature")
    return empty(null, "Previews replay temperature rules; this kind follows the collector's polls.");
  const [siteRows, rows, chain] = await Promise.all([
    db().site.findMany({
      select: {
        id: true,
        slug: true,
        name: true,
        kind: true,
        labels: true,
        dataSourceId: true,
        clusters: { select: { id: true, name: true } },
      },
    }),
    loadDataSourceRows(),
    thresholdChain(now),
  ]);
  const sites = siteRows.filter((s) => {
    let labels: Record<string, string> = {};
    try {
      labels = JSON.parse(s.labels) as Record<string, string>;
    } catch {
      labels = {};
    }
    return isInScope(rule.scope, { id: s.id, kind: s.kind, labels });
  });
  if (sites.length === 0) return empty(null, "No site is in this rule's scope.");
  if (rows.length === 0) return empty("no data source configured");
  const index = await nodeIndex(now);
  const hostCount = Math.max(
    1,
    [...index.values()].filter((h) => sites.some((s) => s.id === h.siteId)).length,
  );
  const windowMs = Math.max(60_000, Math.ceil((PREVIEW_RANGE_MS * hostCount) / MAX_ROWS / 60_000) * 60_000);
  const def = rows.find((r) => r.isDefault) ?? rows[0];
  const bySource = new Map<string, typeof sites>();
  for (const s of sites) {
    const id = (s.dataSourceId && rows.some((r) => r.id === s.dataSourceId) ? s.dataSourceId : def?.id) ?? "";
    const list = bySource.get(id) ?? [];
    list.push(s);
    bySource.set(id, list);
  }
  const perHost: {
    site: (typeof sites)[number];
    host: string;
    clusterId: string | null;
    samples: Sample[];
  }[] = [];
  let problem: string | null = null;
  for (const [sourceId, members] of bySource) {
    const row = rows.find((r) => r.id === sourceId);
    if (!row) continue;
    const m = parseMapping(row.mapping);
    // All sites of the source when they are all in scope; else their tag values.
    const isAll = members.length === siteRows.filter((s) => (s.dataSourceId ?? def?.id) === sourceId).length;
    const scope =
      m.join === "tags" && !isAll
        ? { tag: m.siteTag, values: members.map((s) => (m.siteValue === "slug" ? s.slug : s.name)) }
        : null;
    const result = await influxQuery(
      targetFor(row),
      [previewStatement(m, row.retentionPolicy, scope, from, now, windowMs)],
      {
        now,
      },
    );
    if (!result.ok) {
      problem = result.message;
      continue;
    }
    const byKey = new Map(members.map((s) => [m.siteValue === "slug" ? s.slug : s.name, s]));
    const byId = new Map(members.map((s) => [s.id, s]));
    for (const series of result.statements[0] ?? []) {
      const host = series.tags[m.hostTag] ?? "";
      const home = m.join === "host" ? index.get(host) : undefined;
      const site = m.join === "tags" ? byKey.get(series.tags[m.siteTag] ?? "") : byId.get(home?.siteId ?? "");
      if (!site || !host) continue;
      const clusterId =
        m.join === "tags"
          ? (site.clusters.find((c) => c.name === series.tags[m.clusterTag ?? ""])?.id ?? null)
          : (home?.clusterId ?? null);
      const samples: Sample[] = [];
      for (const v of series.values) {
        const t = typeof v[0] === "number" ? v[0] : null;
        const value = typeof v[1] === "number" ? v[1] : null;
        if (t !== null && value !== null) samples.push({ from: t, to: t + windowMs, value });
      }
      perHost.push({ site, host, clusterId, samples });
    }
  }
  const periods = { forMs: rule.forSeconds * 1000, clearForMs: rule.clearForSeconds * 1000 };
  const results = perHost.map((h) => {
    const eff = resolveThreshold(chain, {
      kind: h.site.kind,
      siteId: h.site.id,
      clusterId: h.clusterId,
      node: h.host,
    });
    const level = rule.warnCelsius ?? eff.celsius;
    const r = previewHost(h.samples, { level, critical: null, clearMargin: rule.clearMargin }, periods);
    return { h, r };
  });
  results.sort(
    (a, b) => b.r.firingsWithoutHysteresis - a.r.firingsWithoutHysteresis || b.r.firings - a.r.firings,
  );
  return {
    from: new Date(from).toISOString(),
    to: new Date(now).toISOString(),
    windowMs,
    sites: sites.length,
    hosts: perHost.length,
    firings: results.reduce((n, x) => n + x.r.firings, 0),
    firingsWithoutHysteresis: results.reduce((n, x) => n + x.r.firingsWithoutHysteresis, 0),
    top: results
      .filter((x) => x.r.firingsWithoutHysteresis > 0)
      .slice(0, 10)
      .map((x) => ({
        site: x.h.site.name,
        host: x.h.host,
        firings: x.r.firings,
        firingsWithoutHysteresis: x.r.firingsWithoutHysteresis,
        lastFiredAt: x.r.firedAt.length > 0 ? new Date(x.r.firedAt.at(-1) ?? 0).toISOString() : null,
      })),
    unavailable: problem,
    note:
      windowMs > 60_000
        ? `Replayed on ${Math.round(windowMs / 60_000)}-minute windows (the highest reading of each) to keep the answer small.`
        : null,
  };
}
