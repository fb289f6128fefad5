import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { decodePolls, linkStateKey } from "@/lib/health/link";
import type { SiteStatus } from "@/lib/health/model";
import { createRng, type Rng } from "@/lib/simulator/prng";
import { changedTelemetrySites } from "@/lib/telemetry/tick/marks";
import { check, T0 } from "@/lib/testing/summary-checks";
import {
  changeThreshold,
  collectorChanges,
  createSources,
  PollMarks,
  renameSite,
  telemetryTick,
  writeRandomSites,
} from "@/lib/testing/summary-fleet";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { invalidateThresholdChain } from "@/lib/thresholds/store";
import { intervalMs, loadSiteInputs } from "../health-input";
import { refreshAhead } from "./freshness";
import { markSitesDue, markSitesOfClustersDue } from "./marks";
import { fleetOverview, renderSites } from "./overview";

// The incremental fleet summary against the one pure roll-up: random fleets near
// every threshold, written as the collector and the telemetry tick store them;
// then time passes and those writers change things (with their marks), and at
// every instant each site's stored state and every overview query must equal
// what siteHealth()/filterFleet() compute from scratch.

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
  await db().temperatureThreshold.deleteMany();
  invalidateThresholdChain();
});

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
    if (isTicking) keys = await telemetryTick(rng, keys, now, TICK_MS);
    else keys = null;
    if (action === 7) await changeThreshold(rng);
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
        link: linkStateKey(
          decodePolls(r.recentPolls),
          r.flapSince?.getTime() ?? null,
          r.slowSince?.getTime() ?? null,
        ),
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
      link: "",
    };
    const same = all.slice(5, 10).map((r) => ({
      clusterId: r.clusterId,
      at: T0 + 1_000,
      isOk: true,
      summary: r.summary,
      errorClass: null,
      failures: 0,
      link: linkStateKey(
        decodePolls(r.recentPolls),
        r.flapSince?.getTime() ?? null,
        r.slowSince?.getTime() ?? null,
      ),
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
    let keys = await telemetryTick(rng, null, T0 + 2_000, TICK_MS);
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
    expect(bumped(before, await versions()).sort()).toEqual([...result.changed].sort());
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
});

describe("a change landing while a page is read", () => {
  it("a site whose inputs moved after the summary query is read again, never listed under the wrong status", async () => {
    const rng = createRng(7);
    await createSources(T0);
    await writeRandomSites(rng, 60, T0, intervalMs());
    await telemetryTick(rng, null, T0, TICK_MS);
    await refreshAhead(() => T0);
    const now = T0 + 1_000;
    const all = await fleetOverview({ status: [], offset: 0, limit: 500 }, now);
    const before = new Map(all.items.map((i) => [i.siteId, i.status]));
    // The write as it looks between the summary query and the render: inputs
    // changed, the row not yet recomputed (its mark commits with the write, but
    // after the page's summary query ran). The first site that going dark moves.
    let moved: { siteId: string; from: SiteStatus; to: SiteStatus } | null = null;
    for (const [siteId, from] of before) {
      await db().clusterStatus.updateMany({
        where: { cluster: { siteId } },
        data: {
          lastSuccessAt: new Date(now - 2 * HOUR),
          lastAttemptAt: new Date(now - 500),
          lastErrorAt: new Date(now - 500),
          lastErrorClass: "timeout",
          consecutiveFailures: 400,
          recentPolls: "",
          flapSince: null,
          slowSince: null,
        },
      });
      const [truth] = await renderSites([siteId], now);
      if (truth && truth.status !== from) {
        moved = { siteId, from, to: truth.status };
        break;
      }
    }
    if (!moved) throw new Error("no site going dark changes its state in this fleet");

    const again = await fleetOverview({ status: [moved.from], offset: 0, limit: 500 }, now);
    expect(again.items.map((i) => i.siteId)).not.toContain(moved.siteId);
    expect(again.items.every((i) => i.status === moved.from)).toBe(true);
    // The row was put right on the way, so the counts and the other filters agree too.
    const row = await db().siteSummary.findUniqueOrThrow({ where: { siteId: moved.siteId } });
    expect(row.status).toBe(moved.to);
    const theirs = await fleetOverview({ status: [moved.to], offset: 0, limit: 500 }, now);
    expect(theirs.items.map((i) => i.siteId)).toContain(moved.siteId);
  }, 60_000);
});
