import { describe, expect, it } from "vitest";
import { isSameReading, rowChanges } from "./diff";
import { type NodeLatest, nodeKey } from "./types";

const T = Date.UTC(2026, 11, 2, 5, 0, 0);

function node(host: string, patch: Partial<NodeLatest> = {}): NodeLatest {
  return {
    sourceId: "src",
    siteTag: "store-1",
    clusterTag: "k3s",
    host,
    siteId: "site-1",
    clusterId: "c1",
    tempC: 51.2,
    tempAt: T - 4_000,
    windowMaxC: 51.4,
    windowMaxAt: T - 14_000,
    windowFrom: T - 20_000,
    windowTo: T,
    lastPointAt: T - 4_000,
    pingAt: T - 4_000,
    lossPct: 0,
    rttMs: 12.5,
    keyValue: null,
    keyAt: null,
    skewMs: null,
    skewSeenAt: null,
    probeNewestAt: null,
    probeAt: null,
    tickAt: T,
    ...patch,
  };
}

const stored = (nodes: NodeLatest[]) => new Map(nodes.map((n) => [nodeKey(n), n]));

describe("rowChanges", () => {
  it("leaves a row alone when only the tick that computed it moved on", () => {
    const next = node("a", { windowFrom: T - 10_000, windowTo: T + 10_000, tickAt: T + 10_000 });
    expect(isSameReading(node("a"), next)).toBe(true);
    expect(rowChanges(stored([node("a")]), [next])).toEqual({ upserts: [], removed: [] });
  });

  it("rewrites a row when any reading moved, including the window max, the join and the clock evidence", () => {
    const before = node("a");
    for (const patch of [
      { tempC: 51.3 },
      { tempAt: T + 6_000 },
      { windowMaxC: null, windowMaxAt: null },
      { lossPct: 20 },
      { siteId: null },
      { clusterId: "c2" },
      { skewMs: 7_200_000, skewSeenAt: T },
      { probeAt: T },
      { keyValue: 1_200, keyAt: T },
    ] satisfies Partial<NodeLatest>[]) {
      const next = node("a", { ...patch, tickAt: T + 10_000 });
      expect(rowChanges(stored([before]), [next]).upserts).toEqual([next]);
    }
  });

  it("writes new hosts and deletes the hosts the tick no longer keeps", () => {
    const changes = rowChanges(stored([node("a"), node("gone")]), [node("a"), node("new")]);
    expect(changes.upserts.map((n) => n.host)).toEqual(["new"]);
    expect(changes.removed).toEqual([nodeKey(node("gone"))]);
  });

  it("tells hosts apart by site and cluster tag, not only by name", () => {
    const other = node("a", { siteTag: "store-2" });
    const changes = rowChanges(stored([node("a")]), [other]);
    expect(changes.upserts).toEqual([other]);
    expect(changes.removed).toEqual([nodeKey(node("a"))]);
  });
});
