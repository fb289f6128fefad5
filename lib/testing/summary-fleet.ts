// A random fleet written into the database the way the collector, the telemetry
// tick and the registry would have stored it, plus those writers' changes with
// their fleet-summary marks: the bed for proving the incremental summary equal
// to the pure roll-up. Test bed only.
import { db } from "@/lib/db/client";
import { markSitesDue, markSitesOfClustersDue, PollMarks } from "@/lib/fleet/summary/marks";
import { Prisma } from "@/lib/generated/prisma/client";
import { appendPoll, decodePolls, encodePolls, linkStateKey } from "@/lib/health/link";
import type { SiteHealthInput } from "@/lib/health/types";
import type { Rng } from "@/lib/simulator/prng";
import { buildSiteTelemetry } from "@/lib/telemetry/site-telemetry";
import { changedTelemetrySites } from "@/lib/telemetry/tick/marks";
import { loadAllNodes, loadStatuses } from "@/lib/telemetry/tick/store";
import { clearThreshold, freshThresholdChain, setThreshold } from "@/lib/thresholds/store";
import { randomSiteInput } from "./random-fleet";

export const CURRENT_SOURCE = "src-current";
export const STALE_SOURCE = "src-stale";
const LABEL_SETS: Record<string, string>[] = [
  {},
  { tier: "gold" },
  { tier: "silver", region: "eu" },
  { region: "us" },
  { "weird key": "a=b" },
];

const date = (iso: string | null) => (iso === null ? null : new Date(iso));

/**
 * Multi-row INSERTs: Prisma's createMany costs about half a millisecond per row
 * here, which makes a 10,000-site fleet take a minute to write.
 */
export async function insertRows(table: string, rows: Record<string, unknown>[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = Object.keys(first);
  const perChunk = Math.max(1, Math.floor(5_000 / columns.length));
  for (let i = 0; i < rows.length; i += perChunk) {
    const values = Prisma.join(
      rows.slice(i, i + perChunk).map((r) => Prisma.sql`(${Prisma.join(columns.map((c) => r[c]))})`),
    );
    await db()
      .$executeRaw`INSERT INTO ${Prisma.raw(`"${table}"`)} (${Prisma.raw(columns.map((c) => `"${c}"`).join(", "))}) VALUES ${values}`;
  }
}

export async function createSources(now: number): Promise<void> {
  await db().dataSource.createMany({
    data: [
      { id: CURRENT_SOURCE, name: "Current", url: "http://127.0.0.1:1", database: "t", isDefault: true },
      { id: STALE_SOURCE, name: "Stalled", url: "http://127.0.0.1:2", database: "t" },
    ],
  });
  await db().telemetrySourceStatus.createMany({
    data: [
      { sourceId: CURRENT_SOURCE, tickSeq: 1, lastTickAt: new Date(now), lastOkAt: new Date(now) },
      {
        sourceId: STALE_SOURCE,
        tickSeq: 1,
        lastTickAt: new Date(now),
        lastOkAt: new Date(now - 10 * 60_000),
        lastErrorAt: new Date(now),
        lastErrorReason: "timeout",
        lastErrorMessage: "InfluxDB did not answer within 5 s",
      },
    ],
  });
}

/** Writes `count` random sites (ids from `offset`) as stored state at `now`. */
export async function writeRandomSites(
  rng: Rng,
  count: number,
  now: number,
  intervalMs: number,
  offset = 0,
): Promise<SiteHealthInput[]> {
  const inputs = Array.from({ length: count }, (_, i) => randomSiteInput(rng, offset + i, now, intervalMs));
  const sites = inputs.map((s) => ({
    id: s.id,
    slug: s.slug,
    name: s.name,
    kind: s.kind,
    labels: JSON.stringify(rng.pick(LABEL_SETS)),
    latitude: rng.chance(0.8) ? rng.int(-80, 80) + rng.next() : null,
    longitude: rng.chance(0.8) ? rng.int(-170, 170) + rng.next() : null,
    contactMode: s.contactMode,
    expectedOfflineWindows: JSON.stringify(s.expectedOfflineWindows),
    maxSilenceMinutes: s.maxSilenceMinutes,
    // Sites without telemetry read the stalled source; "expected" ones name the current one.
    dataSourceId: s.telemetry ? (s.telemetry.isExpected ? CURRENT_SOURCE : null) : STALE_SOURCE,
  }));
  const stamp = new Date(now);
  await insertRows(
    "Site",
    sites.map((site) => ({ ...site, createdAt: stamp, updatedAt: stamp })),
  );
  const clusters = inputs.flatMap((s) =>
    s.clusters.map((c, i) => ({
      id: c.id,
      siteId: s.id,
      name: c.name,
      server: `https://10.${(offset + i) % 250}.0.1:6443`,
      contextName: c.name,
      authKind: "token",
      kubeconfigEnc: "unused",
      certNotAfter: date(c.certNotAfter),
    })),
  );
  await insertRows(
    "Cluster",
    clusters.map((c) => ({ ...c, tlsServerName: "", labels: "{}", createdAt: stamp, updatedAt: stamp })),
  );
  // "Hot" from the threshold chain: each site's level, and for some sites a lower one on their first cluster.
  const thresholds = inputs.flatMap((s) => {
    if (!s.telemetry) return [];
    const rows: Record<string, unknown>[] = [
      {
        id: `thr-site-${s.id}`,
        level: "site",
        scopeKey: s.id,
        siteId: s.id,
        clusterId: null,
        warnCelsius: s.telemetry.warnCelsius,
        updatedAt: stamp,
      },
    ];
    const first = s.clusters[0];
    if (first && rng.chance(0.1))
      rows.push({
        id: `thr-cluster-${first.id}`,
        level: "cluster",
        scopeKey: first.id,
        siteId: s.id,
        clusterId: first.id,
        warnCelsius: s.telemetry.warnCelsius - 2,
        updatedAt: stamp,
      });
    return rows;
  });
  await insertRows("TemperatureThreshold", thresholds);
  const statuses = inputs.flatMap((s) =>
    s.clusters
      .filter((c) => c.reach.lastAttemptAt !== null || c.reach.lastSuccessAt !== null)
      .map((c) => ({
        clusterId: c.id,
        lastAttemptAt: date(c.reach.lastAttemptAt),
        lastSuccessAt: date(c.reach.lastSuccessAt),
        lastErrorAt: date(c.reach.lastErrorAt),
        lastErrorClass: c.reach.lastErrorClass,
        lastErrorMessage: c.reach.lastErrorMessage,
        consecutiveFailures: c.reach.consecutiveFailures,
        recentPolls: encodePolls(c.reach.recentPolls ?? []),
        flapSince: date(c.reach.flapSince ?? null),
        slowSince: date(c.reach.slowSince ?? null),
        summary: c.summary ? JSON.stringify(c.summary) : null,
      })),
  );
  await insertRows(
    "ClusterStatus",
    statuses.map((st) => ({ ...st, updatedAt: stamp })),
  );
  const nodes = inputs.flatMap((s) =>
    (s.telemetry?.hosts ?? []).map((h) => ({
      id: `${CURRENT_SOURCE}\u001f${s.slug}\u001f\u001f${h.host}`,
      sourceId: s.telemetry ? CURRENT_SOURCE : STALE_SOURCE,
      siteTag: s.slug,
      clusterTag: "",
      host: h.host,
      siteId: s.id,
      clusterId: null,
      tempC: h.tempC,
      tempAt: date(h.tempAt),
      lastPointAt: date(h.lastPointAt),
      pingAt: date(h.pingAt),
      lossPct: h.lossPct,
      skewMs: h.clockSkewMs ?? null,
      tickAt: new Date(now),
    })),
  );
  await insertRows("TelemetryNodeLatest", nodes);
  return inputs;
}

/** What the collector would write for some clusters at `now`, with its marks in the same transaction. */
export async function collectorChanges(
  rng: Rng,
  marks: PollMarks,
  now: number,
  share: number,
): Promise<number> {
  const rows = await db().clusterStatus.findMany();
  const picked = rows.filter(() => rng.chance(share));
  const ops = [];
  const digests = [];
  for (const r of picked) {
    const isOk = rng.chance(0.75);
    // The link record moves as the collector's does: one more outcome, and now and then a run begins or ends.
    const prev = decodePolls(r.recentPolls);
    const polls = appendPoll(
      prev,
      isOk ? (rng.chance(0.2) ? rng.int(1_800, 6_000) : rng.int(20, 900)) : null,
    );
    const turn = (at: Date | null) =>
      rng.chance(0.1) ? (at ? null : new Date(now - rng.int(0, 60_000))) : at;
    const flapSince = turn(r.flapSince);
    const slowSince = turn(r.slowSince);
    const linkData = { recentPolls: encodePolls(polls), flapSince, slowSince };
    const link = linkStateKey(polls, flapSince?.getTime() ?? null, slowSince?.getTime() ?? null);
    if (isOk) {
      const summary =
        rng.chance(0.2) && r.summary
          ? JSON.stringify({
              ...JSON.parse(r.summary),
              workloadProblemCount: rng.int(0, 3),
              workloadProblems: [],
            })
          : r.summary;
      ops.push(
        db().clusterStatus.update({
          where: { clusterId: r.clusterId },
          data: {
            lastAttemptAt: new Date(now),
            lastSuccessAt: new Date(now),
            consecutiveFailures: 0,
            summary,
            ...linkData,
          },
        }),
      );
      digests.push({
        clusterId: r.clusterId,
        at: now,
        isOk: true,
        summary,
        errorClass: null,
        failures: 0,
        link,
      });
    } else {
      const errorClass = rng.pick(["timeout", "refused", "auth", "tls"]);
      const failures = r.consecutiveFailures + 1;
      ops.push(
        db().clusterStatus.update({
          where: { clusterId: r.clusterId },
          data: {
            lastAttemptAt: new Date(now),
            lastErrorAt: new Date(now),
            lastErrorClass: errorClass,
            lastErrorMessage: `collector says ${errorClass}`,
            consecutiveFailures: failures,
            ...linkData,
          },
        }),
      );
      digests.push({
        clusterId: r.clusterId,
        at: now,
        isOk: false,
        summary: null,
        errorClass,
        failures,
        link,
      });
    }
  }
  const ids = marks.clustersToMark(digests);
  ops.push(...markSitesOfClustersDue(ids));
  if (ops.length > 0) await db().$transaction(ops);
  return picked.length;
}

/**
 * A telemetry tick of the current source at `now`: some hosts report (new point
 * times, new temperatures), the source status moves on, and the sites whose
 * telemetry state key changed are marked, as the real tick does it.
 */
export async function telemetryTick(
  rng: Rng,
  keys: Map<string, string> | null,
  now: number,
  tickMs: number,
): Promise<Map<string, string>> {
  const all = await loadAllNodes();
  const ops = [];
  const changed = new Map<string, { tempC: number | null; tempAt: Date | null; lastPointAt: Date | null }>();
  for (const n of all) {
    if (n.sourceId !== CURRENT_SOURCE || !rng.chance(0.5)) continue;
    const jitter = rng.int(-5, 5) / 10;
    const isSpike = rng.chance(0.05);
    const tempC = n.tempC === null ? 55 : isSpike ? n.tempC + 15 : n.tempC + jitter;
    const at = now - rng.int(0, 5_000);
    changed.set(n.host, { tempC, tempAt: new Date(at), lastPointAt: new Date(at) });
    ops.push(
      db().telemetryNodeLatest.update({
        where: { id: `${n.sourceId}\u001f${n.siteTag}\u001f${n.clusterTag}\u001f${n.host}` },
        data: {
          tempC,
          tempAt: new Date(at),
          lastPointAt: new Date(at),
          pingAt: new Date(at),
          tickAt: new Date(now),
        },
      }),
    );
  }
  ops.push(
    db().telemetrySourceStatus.update({
      where: { sourceId: CURRENT_SOURCE },
      data: { lastTickAt: new Date(now), lastOkAt: new Date(now), tickSeq: { increment: 1 } },
    }),
  );
  // The inputs as they will be once these writes commit.
  const nodes = all.map((n) => {
    const c = changed.get(n.host);
    return c && n.sourceId === CURRENT_SOURCE
      ? {
          ...n,
          tempC: c.tempC,
          tempAt: c.tempAt?.getTime() ?? null,
          lastPointAt: c.lastPointAt?.getTime() ?? null,
        }
      : n;
  });
  const sites = await db().site.findMany({
    select: {
      id: true,
      slug: true,
      name: true,
      kind: true,
      dataSourceId: true,
      clusters: { select: { id: true, name: true } },
    },
  });
  const ofSource = sites.filter((s) => (s.dataSourceId ?? CURRENT_SOURCE) === CURRENT_SOURCE);
  const statuses = (await loadStatuses()).map((s) =>
    s.sourceId === CURRENT_SOURCE ? { ...s, lastOkAt: now, lastTickAt: now } : s,
  );
  const inputs = buildSiteTelemetry({
    sites: ofSource,
    sources: [
      { id: CURRENT_SOURCE, name: "Current", isDefault: true },
      { id: STALE_SOURCE, name: "Stalled", isDefault: false },
    ],
    statuses,
    nodes,
    now,
    tickMs,
    chain: await freshThresholdChain(),
  });
  const result = changedTelemetrySites(
    keys,
    ofSource.map((s) => s.id),
    inputs.bySite,
    now,
  );
  ops.push(...markSitesDue(result.changed));
  await db().$transaction(ops);
  return result.keys;
}

/** A registry edit: a site renamed and relabelled, marked in the same transaction. */
export async function renameSite(rng: Rng): Promise<void> {
  const sites = await db().site.findMany({ select: { id: true, name: true } });
  const site = rng.pick(sites);
  await db().$transaction([
    db().site.update({
      where: { id: site.id },
      data: {
        name: `${site.name} ${rng.pick(["2", "b", "Nord", "10"])}`,
        labels: JSON.stringify(rng.pick(LABEL_SETS)),
      },
    }),
    ...markSitesDue([site.id]),
  ]);
}

export { PollMarks };

/**
 * An operator changes the threshold chain through its store (which marks the
 * sites a level covers): a site's level, a cluster's, a kind's or the fleet's.
 */
export async function changeThreshold(rng: Rng): Promise<void> {
  const clusters = await db().cluster.findMany({ select: { id: true, siteId: true } });
  const c = rng.pick(clusters);
  const value = { warnCelsius: rng.pick([60, 72, 78, 84, 95]), criticalCelsius: null };
  switch (rng.int(0, 4)) {
    case 0:
      await setThreshold({ level: "site", siteId: c.siteId }, value, null);
      break;
    case 1:
      await setThreshold({ level: "cluster", clusterId: c.id }, value, null);
      break;
    case 2:
      await setThreshold(
        { level: "kind", kind: rng.pick(["store", "wind-farm", "vehicle"] as const) },
        value,
        null,
      );
      break;
    case 3:
      await setThreshold({ level: "fleet" }, value, null);
      break;
    default:
      await clearThreshold({ level: "site", siteId: c.siteId });
  }
}
