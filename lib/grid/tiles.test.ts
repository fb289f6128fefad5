import { describe, expect, it } from "vitest";
import {
  ago,
  cluster,
  HOUR,
  INTERVAL,
  MINUTE,
  NOW,
  reachFailing,
  reachOk,
  readyNodes,
  SECOND,
  site,
  summaryOf,
} from "@/lib/health/test-fixtures";
import type { TelemetryHostInput } from "@/lib/health/types";
import { clusterTile, siteTiles } from "./tiles";

function reading(host: string, clusterId: string, tempC: number, agoMs = 10 * SECOND): TelemetryHostInput {
  return {
    host,
    clusterId,
    lastPointAt: ago(agoMs),
    tempC,
    tempAt: ago(agoMs),
    pingAt: ago(agoMs),
    lossPct: 0,
  };
}

const turbine = (id: string) => cluster(id, reachOk(10 * SECOND), summaryOf(readyNodes(id, 1)));

function farm() {
  return site(
    "wf",
    [
      cluster("cc", reachOk(5 * SECOND), summaryOf(readyNodes("cc", 3))),
      turbine("t01"),
      turbine("t02"),
      // Dark for 10 minutes with the collector still trying: unreachable, last seen 10 min ago.
      cluster(
        "t03",
        reachFailing({ seenAgoMs: 10 * MINUTE, errorClass: "timeout" }),
        summaryOf(readyNodes("t03", 1)),
      ),
      // Dark for a little over one interval: stale, not yet unreachable.
      cluster("t04", reachFailing({ seenAgoMs: 45 * SECOND, failures: 2 }), summaryOf(readyNodes("t04", 1))),
      cluster(
        "t05",
        reachOk(8 * SECOND),
        summaryOf([{ name: "t05-n1", isReady: false, downForMs: 3 * MINUTE }]),
      ),
    ],
    {
      kind: "wind-farm",
      telemetry: {
        warnCelsius: 80,
        isExpected: true,
        lookbackMs: 24 * HOUR,
        hosts: [
          reading("cc-n1", "cc", 55),
          reading("cc-n2", "cc", 61),
          reading("t01-n1", "t01", 92.5),
          reading("t02-n1", "t02", 70),
          // Old reading of a dark turbine: kept, but not current and never "hot".
          reading("t03-n1", "t03", 95, 10 * MINUTE),
        ],
      },
    },
  );
}

describe("site health grid tiles", () => {
  it("gives one tile per cluster, in order, each judged on its own", () => {
    const tiles = siteTiles(farm(), NOW, INTERVAL);
    expect(tiles.map((t) => [t.name, t.status])).toEqual([
      ["cc", "healthy"],
      ["t01", "degraded"],
      ["t02", "healthy"],
      ["t03", "unreachable"],
      ["t04", "stale"],
      ["t05", "critical"],
    ]);
  });

  it("orders tiles by name, numbers as numbers, whatever order the clusters come in", () => {
    const s = site("wf", [turbine("t10"), turbine("t9"), turbine("cc")], { kind: "wind-farm" });
    expect(siteTiles(s, NOW, INTERVAL).map((t) => t.name)).toEqual(["cc", "t9", "t10"]);
  });

  it("a hot turbine's tile is degraded with its reading; the others are not blamed", () => {
    const t01 = clusterTile(farm(), "t01", NOW, INTERVAL);
    expect(t01).toMatchObject({
      status: "degraded",
      tempC: 92.5,
      isHot: true,
      isTempStale: false,
      thresholdCelsius: 80,
    });
    expect(t01?.headline).toContain("t01-n1 at 92.5 °C");
    const t02 = clusterTile(farm(), "t02", NOW, INTERVAL);
    expect(t02).toMatchObject({ status: "healthy", tempC: 70, isHot: false });
  });

  it("the hottest node speaks for a multi-node cluster", () => {
    expect(clusterTile(farm(), "cc", NOW, INTERVAL)).toMatchObject({ tempC: 61, nodes: 3, nodesReady: 3 });
  });

  it("a dark turbine says since when it was last seen, and its old reading is stale, not hot", () => {
    const t03 = clusterTile(farm(), "t03", NOW, INTERVAL);
    expect(t03).toMatchObject({
      status: "unreachable",
      lastSeenAt: ago(10 * MINUTE),
      since: ago(10 * MINUTE),
      tempC: 95,
      isHot: false,
      isTempStale: true,
    });
    expect(clusterTile(farm(), "t04", NOW, INTERVAL)).toMatchObject({
      status: "stale",
      lastSeenAt: ago(45 * SECOND),
    });
  });

  it("without telemetry a tile has no temperature, and an unknown cluster no tile", () => {
    const bare = site("s", [turbine("t01")]);
    expect(clusterTile(bare, "t01", NOW, INTERVAL)).toMatchObject({
      status: "healthy",
      tempC: null,
      tempAt: null,
      isHot: false,
      thresholdCelsius: null,
    });
    expect(clusterTile(bare, "nope", NOW, INTERVAL)).toBeNull();
  });
});
