// Checks that the incremental fleet summary says what the pure roll-up says:
// every stored row field by field, and every overview query against today's way
// (roll everything up, then filter). Shared by the summary tests. Test bed only.
import { expect } from "vitest";
import { db } from "@/lib/db/client";
import { type FleetQuery, filterFleet, mapPoints, rollUpFleet } from "@/lib/fleet/health";
import { intervalMs, loadSiteInputs } from "@/lib/fleet/health-input";
import { ensureSummaryCurrent } from "@/lib/fleet/summary/freshness";
import { fleetMapPoints, fleetOverview } from "@/lib/fleet/summary/overview";
import { sinceSortOf } from "@/lib/fleet/summary/state";
import { siteHealth } from "@/lib/health/site";

export const T0 = Date.parse("2026-12-01T12:00:00.000Z");

export const QUERIES: FleetQuery[] = [
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
export const BIG_QUERIES = [0, 1, 3, 5, 8].map((i) => QUERIES[i] as FleetQuery);

/** Every stored row equals the pure model at `now`, field by field. */
export async function expectRowsEqualRollUp(now: number): Promise<number> {
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
export async function expectQueriesEqualRollUp(now: number, queries = QUERIES): Promise<void> {
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

export async function check(now: number): Promise<void> {
  await ensureSummaryCurrent(now);
  await expectRowsEqualRollUp(now);
  await expectQueriesEqualRollUp(now);
}
