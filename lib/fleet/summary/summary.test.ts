import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { type FleetQuery, filterFleet, mapPoints, rollUpFleet } from "@/lib/fleet/health";
import { sinceSortOf } from "@/lib/fleet/summary/state";
import { siteHealth } from "@/lib/health/site";
import { createRng, type Rng } from "@/lib/simulator/prng";
import { changedTelemetrySites } from "@/lib/telemetry/tick/marks";
import {
  collectorChanges,
  createSources,
  PollMarks,
  renameSite,
  telemetryTick,
  writeRandomSites,
} from "@/lib/testing/summary-fleet";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { intervalMs, loadSiteInputs } from "../health-input";
import { ensureSummaryCurrent, refreshAhead } from "./freshness";
import { markSitesDue, markSitesOfClustersDue } from "./marks";
import { fleetMapPoints, fleetOverview } from "./overview";

// The incremental fleet summary against the one pure roll-up: random fleets near
// every threshold, written as the collector and the telemetry tick store them;
// then time passes and those writers change things (with their marks), and at
// every instant each site's stored state and every overview query must equal
// what siteHealth()/filterFleet() compute from scratch.

const T0 = Date.parse("2026-12-01T12:00:00.000Z");
const TICK_MS = 10_000;
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir({ OUTPOST_TELEMETRY_TICK_SECONDS: String(TICK_MS / 1000) })).cleanup;
});

afterAll(async () => {
  await cleanup?.();
});

beforeEach(async () => {
  await db().site.deleteMany();
  await db().dataSource.deleteMany();
});

const QUERIES: FleetQuery[] = [
  { status: [], offset: 0, limit: 50 },
  { status: [], offset: 50, limit: 50 },
  { status: [], offset: 0, limit: 500 },
  { status: ["degraded", "unreachable", "critical"], offset: 0, limit: 50 },
  { status: ["healthy"], kind: "store", offset: 10, limit: 20 },
  { status: [], label: "tier=gold", offset: 0, limit: 100 },
  { status: [], label: "region", offset: 0, limit: 100 },
  { status: [], label: "weird key=a=b", offset: 0, limit: 100 },
  { status: [], q: "timed out", offset: 0, limit: 100 },
  { status: [], q: "store-1", offset: 0, limit: 100 },
  { status: [], q: "zürich", offset: 0, limit: 50 },
  { status: ["stale"], q: "telemetry", offset: 0, limit: 100 },
  { status: [], q: "100%", offset: 0, limit: 50 },
  { status: [], q: "_", offset: 0, limit: 50 },
];

/** At 10,000 sites: the first page, a deep page, and one of each filter. */
const BIG_QUERIES = [0, 1, 3, 5, 8].map((i) => QUERIES[i] as FleetQuery);

/** Every stored row equals the pure model at `now`, field by field. */
async function expectRowsEqualRollUp(now: number): Promise<number> {
  const [rows, { sites }] = await Promise.all([db().siteSummary.findMany(), loadSiteInputs(null, now)]);
  expect(rows).toHaveLength(sites.length);
  const byId = new Map(rows.map((r) => [r.siteId, r]));
  const interval = intervalMs();
  for (const s of sites) {
    const h = siteHealth(s.input, now, interval);
    const row = byId.get(s.input.id);
    const stored = row && {
      status: row.status,
      severity: row.severity,
      sinceSort: row.sinceSort,
      axes: { reach: row.axisReach, condition: row.axisCondition, telemetry: row.axisTelemetry },
      counts: JSON.parse(row.counts),
      reasons: JSON.parse(row.reasons),
      name: row.name,
      kind: row.kind,
    };
    expect(stored, `${s.input.id} at +${(now - T0) / 1000} s`).toEqual({
      status: h.status,
      severity: h.severity,
      sinceSort: sinceSortOf(h.since),
      axes: h.axes,
      counts: h.counts,
      reasons: h.reasons,
      name: s.input.name,
      kind: s.kind,
    });
  }
  return sites.length;
}

/** Every overview query answers what today's way (roll up everything, then filter) answers. */
async function expectQueriesEqualRollUp(now: number, queries = QUERIES): Promise<void> {
  const fleet = await rollUpFleet(now);
  for (const q of queries) {
    const got = await fleetOverview(q, now);
    const want = filterFleet(fleet, q);
    expect(got.counts, JSON.stringify(q)).toEqual(want.counts);
    expect(got.matching, JSON.stringify(q)).toBe(want.matching);
    expect(
      got.items.map((i) => i.siteId),
      JSON.stringify(q),
    ).toEqual(want.items.map((i) => i.siteId));
    expect(got.items, JSON.stringify(q)).toEqual(want.items);
    expect(got.telemetry).toEqual(want.telemetry);
  }
  expect((await fleetMapPoints(now)).points).toEqual(mapPoints(fleet));
}

async function check(now: number): Promise<void> {
  await ensureSummaryCurrent(now);
  await expectRowsEqualRollUp(now);
  await expectQueriesEqualRollUp(now);
}

async function scenario(rng: Rng, sites: number, rounds: number): Promise<void> {
  await createSources(T0);
  await writeRandomSites(rng, sites, T0, intervalMs());
  await refreshAhead(() => T0);
  let now = T0;
  const marks = new PollMarks(intervalMs());
  let keys: Map<string, string> | null = null;
  let isTicking = true;
  await check(now);
  for (let round = 0; round < rounds; round++) {
    now += rng.pick([
      1,
      999,
      SECOND,
      10 * SECOND,
      36 * SECOND,
      2 * MINUTE,
      20 * MINUTE,
      3 * HOUR,
      2 * 86_400_000,
    ]);
    const action = rng.int(0, 9);
    if (action <= 3) await collectorChanges(rng, marks, now, rng.pick([0.05, 0.3]));
    // Sometimes InfluxDB stops answering for a while: the tick writes nothing and its sites go "unknown".
    if (rng.chance(0.15)) isTicking = !isTicking;
    if (isTicking) keys = await telemetryTick(rng, keys, now, TICK_MS, 80);
    else keys = null;
    if (action === 8) await renameSite(rng);
    if (action === 9) await writeRandomSites(rng, 3, now, intervalMs(), 10_000 + round * 10);
    await check(now);
  }
}

async function versions(): Promise<Map<string, number>> {
  return new Map(
    (await db().siteSummary.findMany({ select: { siteId: true, version: true } })).map((r) => [
      r.siteId,
      r.version,
    ]),
  );
}

function bumped(before: Map<string, number>, after: Map<string, number>): string[] {
  return [...after].filter(([id, v]) => before.get(id) !== v).map(([id]) => id);
}

describe("marks: every change updates the right site, and only it", () => {
  it("a poll result, a telemetry change and a registry edit mark exactly their site", async () => {
    const rng = createRng(42);
    await createSources(T0);
    await writeRandomSites(rng, 40, T0, intervalMs());
    await refreshAhead(() => T0);
    const marks = new PollMarks(intervalMs());
    const all = await db().clusterStatus.findMany({ include: { cluster: { select: { siteId: true } } } });
    // The collector has seen every cluster once (its memory), answering as stored.
    marks.clustersToMark(
      all.map((r) => ({
        clusterId: r.clusterId,
        at: T0,
        isOk: true,
        summary: r.summary,
        errorClass: null,
        failures: 0,
      })),
    );
    const target = all[3];
    if (!target) throw new Error("no cluster");
    let before = await versions();
    const failure = {
      clusterId: target.clusterId,
      at: T0 + 1_000,
      isOk: false,
      summary: null,
      errorClass: "timeout",
      failures: 1,
    };
    const same = all.slice(5, 10).map((r) => ({
      clusterId: r.clusterId,
      at: T0 + 1_000,
      isOk: true,
      summary: r.summary,
      errorClass: null,
      failures: 0,
    }));
    await db().$transaction([
      db().clusterStatus.update({
        where: { clusterId: target.clusterId },
        data: {
          lastAttemptAt: new Date(T0 + 1_000),
          lastErrorAt: new Date(T0 + 1_000),
          lastErrorClass: "timeout",
          consecutiveFailures: 1,
        },
      }),
      ...markSitesOfClustersDue(marks.clustersToMark([failure, ...same])),
    ]);
    expect(bumped(before, await versions())).toEqual([target.cluster.siteId]);
    await check(T0 + 1_000);

    // Telemetry: one node of a site with telemetry turns hot; readings elsewhere move by a little.
    let keys = await telemetryTick(rng, null, T0 + 2_000, TICK_MS, 80);
    await check(T0 + 2_000);
    const node = (await db().telemetryNodeLatest.findMany({ where: { sourceId: "src-current" } }))[0];
    if (!node?.siteId) throw new Error("no node");
    before = await versions();
    await db().telemetryNodeLatest.update({
      where: { id: node.id },
      data: { tempC: 97, tempAt: new Date(T0 + 2_500), lastPointAt: new Date(T0 + 2_500) },
    });
    const inputs = (await loadSiteInputs(null, T0 + 3_000)).telemetry.bySite;
    const siteIds = [...inputs.keys()];
    const result = changedTelemetrySites(keys, siteIds, inputs, T0 + 3_000);
    keys = result.keys;
    expect(result.changed).toContain(node.siteId);
    await db().$transaction(markSitesDue(result.changed));
    expect(bumped(before, await versions())).toEqual(result.changed);
    await check(T0 + 3_000);

    before = await versions();
    await renameSite(rng);
    expect(bumped(before, await versions())).toHaveLength(1);
    await check(T0 + 3_000);
  }, 60_000);
});

describe("incremental fleet summary = the pure roll-up", () => {
  it("on random fleets, at every instant, through collector, telemetry and registry changes", async () => {
    for (const seed of [1, 2]) {
      await db().site.deleteMany();
      await db().dataSource.deleteMany();
      await scenario(createRng(seed), 120, 12);
    }
  }, 240_000);

  it("on a generated 10,000-site fleet, now and ten minutes later with no event at all", async () => {
    const rng = createRng(10_000);
    await createSources(T0);
    await writeRandomSites(rng, 10_000, T0, intervalMs());
    await refreshAhead(() => T0);
    expect(await expectRowsEqualRollUp(T0)).toBe(10_000);
    await expectQueriesEqualRollUp(T0, BIG_QUERIES);
    // Ten minutes on: every fresh cluster went stale, sentences moved on; only time changed.
    const later = T0 + 10 * MINUTE;
    await db().telemetrySourceStatus.update({
      where: { sourceId: "src-current" },
      data: { lastOkAt: new Date(later), lastTickAt: new Date(later) },
    });
    await refreshAhead(() => later);
    await ensureSummaryCurrent(later);
    expect(await expectRowsEqualRollUp(later)).toBe(10_000);
    await expectQueriesEqualRollUp(later, BIG_QUERIES);
  }, 240_000);
});
