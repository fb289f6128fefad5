import { describe, expect, it } from "vitest";
import { type SiteHealth, STATUS_SEVERITY } from "./model";
import { compareSiteHealth, fleetCounts, rollUpSites, siteHealth, statusForSeverity } from "./site";
import {
  ago,
  cluster,
  DAY,
  HOUR,
  INTERVAL,
  iso,
  MINUTE,
  NIGHT_MADRID,
  NOW,
  notContacted,
  reachFailing,
  reachOk,
  readyNodes,
  SECOND,
  site,
  summaryOf,
  withPolls,
} from "./test-fixtures";
import type { SiteHealthInput } from "./types";

const health = (s: SiteHealthInput, now = NOW) => siteHealth(s, now, INTERVAL);
const storeUp = (id: string, nodes = 3) =>
  cluster(id, reachOk(10 * SECOND), summaryOf(readyNodes(id, nodes)));
const turbines = (count: number, build: (i: number, name: string) => ReturnType<typeof cluster>) =>
  Array.from({ length: count }, (_, i) => build(i, `turbine-${String(i + 1).padStart(2, "0")}`));

describe("siteHealth: unknown", () => {
  it("says a site has no clusters", () => {
    const h = health(site("empty", []));
    expect(h).toMatchObject({
      status: "unknown",
      severity: STATUS_SEVERITY.unknown,
      headline: "No clusters registered",
    });
    expect(h.axes).toEqual({ reach: "unknown", condition: "unknown", telemetry: "unknown" });
  });

  it("says no cluster has been contacted yet", () => {
    expect(health(site("s", [cluster("c", notContacted(), null)])).headline).toBe("Not contacted yet");
    const h = health(
      site(
        "s",
        [1, 2, 3].map((i) => cluster(`c${i}`, notContacted(), null)),
      ),
    );
    expect(h).toMatchObject({
      status: "unknown",
      headline: "None of the 3 clusters contacted yet",
      since: null,
    });
  });
});

describe("siteHealth: healthy", () => {
  it("is healthy with every node Ready and says how fresh", () => {
    const h = health(site("store-12", [storeUp("store-12")]));
    expect(h).toMatchObject({
      status: "healthy",
      severity: 0,
      since: null,
      headline: "All 3 nodes Ready; updated 10 s ago",
    });
    expect(h.counts).toEqual({
      clusters: 1,
      clustersFresh: 1,
      clustersStale: 0,
      clustersUnreachable: 0,
      nodes: 3,
      nodesReady: 3,
    });
    expect(h.axes).toEqual({ reach: "reachable", condition: "ok", telemetry: "unknown" });
    expect(h.lastSeenAt).toBe(ago(10 * SECOND));
  });

  it("speaks of a single node and of many clusters", () => {
    expect(health(site("van", [storeUp("van", 1)])).headline).toBe("1 node Ready; updated 10 s ago");
    const farm = health(
      site(
        "farm",
        turbines(21, (_, n) => storeUp(n, 1)),
        { kind: "wind-farm" },
      ),
    );
    expect(farm.headline).toBe("21 clusters, all 21 nodes Ready; updated 10 s ago");
  });

  it("lists cordoned nodes without calling it a problem", () => {
    const s = summaryOf(readyNodes("store-3", 3), { cordoned: ["store-3-n2"] });
    const h = health(site("store-3", [cluster("c", reachOk(5 * SECOND), s)]));
    expect(h.status).toBe("healthy");
    expect(h.reasons.map((r) => r.sentence)).toEqual(["1 node cordoned: store-3-n2"]);
    expect(h.headline).toBe("All 3 nodes Ready; updated 5 s ago (+1 more)");
  });

  it("does not grey a farm because one turbine is a little late", () => {
    const farm = turbines(21, (i, n) =>
      i === 6
        ? cluster(n, reachFailing({ seenAgoMs: 60 * SECOND, failures: 1 }), summaryOf(readyNodes(n, 1)))
        : storeUp(n, 1),
    );
    const h = health(site("farm", farm));
    expect(h.status).toBe("healthy");
    expect(h.axes.reach).toBe("partial");
    expect(h.counts).toMatchObject({ clustersFresh: 20, clustersStale: 1, nodesReady: 21 });
    expect(h.reasons[0]?.sentence).toBe("1 of 21 clusters stale: turbine-07 (last update 1 m ago)");
    expect(h.headline).toBe("20 of 21 clusters current, all 21 nodes Ready; updated 10 s ago (+1 more)");
  });

  it("mentions a cluster not contacted yet next to contacted ones", () => {
    const h = health(site("s", [storeUp("a"), cluster("b", notContacted(), null)]));
    expect(h.status).toBe("healthy");
    expect(h.reasons[0]).toMatchObject({
      code: "not-contacted",
      sentence: "1 of 2 clusters not contacted yet: b",
      clusterId: "b",
    });
  });
});

describe("siteHealth: condition (the site reports a problem)", () => {
  it("is degraded with one NotReady node of three, since the transition", () => {
    const s = summaryOf([
      { name: "store-12-n1" },
      { name: "store-12-n2", isReady: false, downForMs: 5 * MINUTE + 10 * SECOND },
      { name: "store-12-n3" },
    ]);
    const h = health(site("store-12", [cluster("c12", reachOk(10 * SECOND), s)]));
    expect(h.status).toBe("degraded");
    expect(h.headline).toBe("1 of 3 nodes NotReady: store-12-n2 (KubeletNotReady) for 5 m");
    expect(h.since).toBe(ago(5 * MINUTE + 10 * SECOND));
    expect(h.reasons[0]).toMatchObject({ code: "nodes-not-ready", axis: "condition", clusterId: "c12" });
    expect(h.counts).toMatchObject({ nodes: 3, nodesReady: 2 });
    expect(h.axes).toMatchObject({ reach: "reachable", condition: "degraded" });
  });

  it("is critical when every node is NotReady, since the last one went down", () => {
    const s = summaryOf([
      { name: "n1", isReady: false, downForMs: 40 * MINUTE },
      { name: "n2", isReady: false, downForMs: 7 * MINUTE, status: "Unknown", reason: "HeartbeatLost" },
      { name: "n3", isReady: false, downForMs: 20 * MINUTE },
    ]);
    const h = health(site("s", [cluster("c", reachOk(5 * SECOND), s)]));
    expect(h.status).toBe("critical");
    expect(h.since).toBe(ago(7 * MINUTE));
    expect(h.headline).toBe(
      "All 3 nodes NotReady: n1 (KubeletNotReady) for 40 m, n2 (Unknown, HeartbeatLost) for 7 m, n3 (KubeletNotReady) for 20 m",
    );
    expect(h.axes.condition).toBe("critical");
  });

  it("is critical when the only node of a single-node site is NotReady", () => {
    const s = summaryOf([{ name: "van-7", isReady: false, downForMs: 3 * MINUTE }]);
    const h = health(site("van-7", [cluster("c", reachOk(5 * SECOND), s)]));
    expect(h).toMatchObject({
      status: "critical",
      headline: "Node NotReady: van-7 (KubeletNotReady) for 3 m",
    });
  });

  it("is degraded for pressure and workload problems and names them", () => {
    const s = summaryOf(readyNodes("store-1", 3), {
      pressure: ["store-1-n2: MemoryPressure"],
      workloadProblemCount: 4,
      workloadProblems: [
        { name: "pos", problem: "0/3 available" },
        { name: "menu", problem: "ImagePullBackOff" },
      ],
    });
    const h = health(site("store-1", [cluster("c", reachOk(5 * SECOND), s)]));
    expect(h.status).toBe("degraded");
    expect(h.reasons.map((r) => r.sentence)).toEqual([
      "Resource pressure: MemoryPressure on store-1-n2",
      "4 workload problems: pos (0/3 available), menu (ImagePullBackOff) and 2 more",
    ]);
    expect(h.headline).toBe("Resource pressure: MemoryPressure on store-1-n2 (+1 more)");
  });

  it("keeps judging the last-known condition of a stale cluster", () => {
    const s = summaryOf([{ name: "n1" }, { name: "n2", isReady: false, downForMs: HOUR }]);
    const h = health(site("s", [cluster("c", reachFailing({ seenAgoMs: 60 * SECOND, failures: 1 }), s)]));
    expect(h.status).toBe("degraded");
    expect(h.axes).toMatchObject({ reach: "stale", condition: "degraded" });
    expect(h.reasons.map((r) => r.code)).toEqual(["nodes-not-ready", "site-stale"]);
  });
});

describe("siteHealth: reach (the dashboard cannot reach the site)", () => {
  it("is unreachable when a single-node store goes dark: a total loss", () => {
    const seen = 2 * HOUR + 14 * MINUTE + 30 * SECOND;
    const h = health(
      site("store-9", [cluster("c", reachFailing({ seenAgoMs: seen }), summaryOf(readyNodes("store-9", 1)))]),
    );
    expect(h.status).toBe("unreachable");
    expect(h.headline).toBe("Unreachable for 2 h 14 m: connection timed out; last seen 1 node Ready");
    expect(h.since).toBe(ago(seen));
    expect(h.axes).toEqual({ reach: "unreachable", condition: "unknown", telemetry: "unknown" });
    expect(h.counts).toMatchObject({ clustersUnreachable: 1, nodes: 1, nodesReady: 0 });
  });

  it("keeps the last-seen node picture of a dark 3-node store", () => {
    const s = summaryOf([{ name: "n1" }, { name: "n2" }, { name: "n3", isReady: false }]);
    const h = health(
      site("store-4", [cluster("c", reachFailing({ seenAgoMs: 20 * MINUTE, errorClass: "refused" }), s)]),
    );
    expect(h.headline).toBe("Unreachable for 20 m: connection refused; last seen 2 of 3 nodes Ready");
  });

  it("says never reached for a site whose only cluster never answered", () => {
    const h = health(
      site("s", [cluster("c", reachFailing({ seenAgoMs: null, errorClass: "refused", failures: 1 }), null)]),
    );
    expect(h).toMatchObject({
      status: "unreachable",
      headline: "Never reached: connection refused",
      since: ago(5 * SECOND),
    });
  });

  it("is degraded when 1 of 21 turbines is unreachable, and links it", () => {
    const farm = turbines(21, (i, n) =>
      i === 6
        ? cluster(
            n,
            reachFailing({ seenAgoMs: 12 * MINUTE, errorClass: "refused" }),
            summaryOf(readyNodes(n, 1)),
          )
        : storeUp(n, 1),
    );
    const h = health(site("farm", farm, { kind: "wind-farm" }));
    expect(h.status).toBe("degraded");
    expect(h.headline).toBe("1 of 21 clusters unreachable: turbine-07 for 12 m (connection refused)");
    expect(h.reasons[0]).toMatchObject({
      code: "clusters-unreachable",
      clusterId: "turbine-07",
      since: ago(12 * MINUTE),
    });
    expect(h.counts).toEqual({
      clusters: 21,
      clustersFresh: 20,
      clustersStale: 0,
      clustersUnreachable: 1,
      nodes: 21,
      nodesReady: 20,
    });
    expect(h.axes.reach).toBe("partial");
  });

  it("is unreachable when all 21 turbines are dark, since the last one was seen", () => {
    const farm = turbines(21, (i, n) =>
      cluster(n, reachFailing({ seenAgoMs: HOUR + i * MINUTE }), summaryOf(readyNodes(n, 1))),
    );
    const h = health(site("farm", farm));
    expect(h.status).toBe("unreachable");
    expect(h.since).toBe(ago(HOUR));
    expect(h.headline).toBe(
      "All 21 clusters unreachable for 1 h: connection timed out; last seen 21 nodes Ready",
    );
  });

  it("is stale (greyed with its age) between fresh and unreachable", () => {
    const h = health(
      site("s", [
        cluster("c", reachFailing({ seenAgoMs: 65 * SECOND, failures: 2 }), summaryOf(readyNodes("s", 3))),
      ]),
    );
    expect(h).toMatchObject({ status: "stale", severity: STATUS_SEVERITY.stale, since: ago(65 * SECOND) });
    expect(h.headline).toBe("Last update 1 m ago; last attempt: connection timed out");
  });

  it("says the collector is behind, or stopped, rather than blaming the site", () => {
    const behind = health(site("s", [cluster("c", reachOk(2 * MINUTE), summaryOf(readyNodes("s", 3)))]));
    expect(behind).toMatchObject({ status: "stale", headline: "Last update 2 m ago (collector behind)" });
    const stopped = health(site("s", [cluster("c", reachOk(3 * HOUR), summaryOf(readyNodes("s", 3)))]));
    expect(stopped).toMatchObject({ status: "stale", headline: "Last update 3 h ago (collector stopped)" });
  });
});

describe("siteHealth: expected offline (intermittent sites)", () => {
  // 00:17 in Madrid (UTC+1 in January)
  const NIGHT = Date.parse("2025-01-15T23:17:00Z");
  const van = (
    now: number,
    seenAgoMs: number,
    extra: Partial<SiteHealthInput> = {},
    errorClass: "timeout" | "auth" | "http" = "timeout",
  ) =>
    site(
      "van-12",
      [
        cluster(
          "van-12",
          reachFailing({ seenAgoMs, errorClass, now }),
          summaryOf(readyNodes("van-12", 1), {}, now - seenAgoMs),
        ),
      ],
      { kind: "vehicle", contactMode: "intermittent", expectedOfflineWindows: [NIGHT_MADRID], ...extra },
    );

  it("is expected-offline inside a window that crosses midnight, not an incident", () => {
    const h = health(van(NIGHT, 47 * MINUTE), NIGHT);
    expect(h.status).toBe("expected-offline");
    expect(h.severity).toBeLessThan(STATUS_SEVERITY.stale);
    expect(h.headline).toBe("Out of coverage as expected (22:00–06:00 Europe/Madrid); last seen 47 m ago");
    expect(h.since).toBe(iso(NIGHT - 47 * MINUTE));
    expect(h.axes).toEqual({ reach: "expected-offline", condition: "unknown", telemetry: "unknown" });
  });

  it("is expected-offline from the window's first minute (22:00 local = 21:00 UTC in winter)", () => {
    const start = Date.parse("2025-01-15T21:00:00Z");
    expect(health(van(start, 10 * MINUTE), start).status).toBe("expected-offline");
    expect(health(van(start - MINUTE, 10 * MINUTE), start - MINUTE).status).toBe("unreachable");
  });

  it("is unreachable outside the window", () => {
    const h = health(van(NOW, 47 * MINUTE));
    expect(h.status).toBe("unreachable");
    expect(h.headline).toBe("Unreachable for 47 m: connection timed out; last seen 1 node Ready");
  });

  it("ignores windows on a continuous site", () => {
    expect(health(van(NIGHT, 47 * MINUTE, { contactMode: "continuous" }), NIGHT).status).toBe("unreachable");
  });

  it("accepts silence up to maxSilenceMinutes and not a minute longer", () => {
    const inside = health(van(NOW, 4 * HOUR, { maxSilenceMinutes: 240 }));
    expect(inside).toMatchObject({
      status: "expected-offline",
      headline: "Out of coverage as expected (silent up to 4 h); last seen 4 h ago",
    });
    const over = health(van(NOW, 4 * HOUR + 1, { maxSilenceMinutes: 240 }));
    expect(over.status).toBe("unreachable");
    expect(over.headline).toBe(
      "Unreachable for 4 h: connection timed out; last seen 1 node Ready; silent longer than the expected 4 h",
    );
  });

  it("is not 'out of coverage' when the site answers and refuses us", () => {
    expect(health(van(NIGHT, 47 * MINUTE, {}, "http"), NIGHT).status).toBe("unreachable");
    const auth = health(van(NIGHT, 47 * MINUTE, {}, "auth"), NIGHT);
    expect(auth.status).toBe("critical");
    expect(auth.headline).toBe("Credentials rejected for 47 m; renew the kubeconfig");
  });

  it("needs every cluster dark: one dark cluster of a vehicle with two is degraded", () => {
    const s = van(NIGHT, 47 * MINUTE);
    s.clusters.push(
      cluster("van-12-b", reachOk(5 * SECOND, NIGHT), summaryOf(readyNodes("b", 1), {}, NIGHT)),
    );
    expect(health(s, NIGHT).status).toBe("degraded");
  });

  it("still raises a certificate about to expire while out of coverage", () => {
    const s = van(NIGHT, 47 * MINUTE);
    const h = health(
      { ...s, clusters: s.clusters.map((c) => ({ ...c, certNotAfter: iso(NIGHT + 9 * DAY + HOUR) })) },
      NIGHT,
    );
    expect(h.status).toBe("degraded");
    expect(h.axes.reach).toBe("expected-offline");
    expect(h.headline).toBe("Client certificate expires in 9 days (+1 more)");
  });
});

describe("siteHealth: certificates and credentials", () => {
  const withCert = (id: string, notAfterMs: number, reach = reachOk(10 * SECOND)) =>
    cluster(id, reach, summaryOf(readyNodes(id, 3)), iso(notAfterMs));

  it("is degraded with a certificate expiring within 30 days, since the warning began", () => {
    const notAfter = NOW + 9 * DAY + 2 * HOUR;
    const h = health(site("s", [withCert("c", notAfter)]));
    expect(h).toMatchObject({
      status: "degraded",
      headline: "Client certificate expires in 9 days",
      since: iso(notAfter - 30 * DAY),
    });
    expect(h.reasons[0]).toMatchObject({ code: "cert-expiring", axis: "reach", clusterId: "c" });
  });

  it("ranks a certificate inside 7 days above one inside 30", () => {
    const soon = health(site("a", [withCert("c", NOW + 5 * DAY)]));
    const later = health(site("b", [withCert("c", NOW + 20 * DAY)]));
    expect(soon.status).toBe("degraded");
    expect(soon.severity).toBeGreaterThan(later.severity);
  });

  it("is critical when the only certificate has expired", () => {
    const reach = reachFailing({ seenAgoMs: 3 * DAY, errorClass: "auth" });
    const h = health(site("s", [withCert("c", NOW - 3 * DAY, reach)]));
    expect(h).toMatchObject({
      status: "critical",
      headline: "Client certificate expired 3 days ago; renew the kubeconfig",
    });
    expect(h.since).toBe(iso(NOW - 3 * DAY));
    expect(h.reasons.map((r) => r.code)).toEqual(["credentials-rejected"]);
  });

  it("is critical when credentials are rejected by every cluster", () => {
    const clusters = [1, 2, 3].map((i) =>
      cluster(`c${i}`, reachFailing({ seenAgoMs: i * HOUR, errorClass: "auth" }), null),
    );
    const h = health(site("s", clusters));
    expect(h).toMatchObject({
      status: "critical",
      headline: "Credentials rejected by all 3 clusters; renew the kubeconfigs",
    });
    expect(h.since).toBe(ago(HOUR));
  });

  it("is degraded when only some clusters reject the credentials", () => {
    const h = health(
      site("s", [storeUp("a"), cluster("b", reachFailing({ seenAgoMs: HOUR, errorClass: "auth" }), null)]),
    );
    expect(h.status).toBe("degraded");
    expect(h.headline).toBe("1 of 2 clusters unreachable: b for 1 h (credentials rejected)");
  });

  it("groups many clusters' certificates into one sentence with the first expiry", () => {
    const farm = turbines(21, (i, n) => withCert(n, NOW + (9 + i) * DAY));
    const h = health(site("farm", farm));
    expect(h.headline).toBe("Client certificates of 21 clusters expire soon, the first in 9 days");
    expect(h.reasons[0]?.clusterId).toBeUndefined();
    const one = health(
      site("farm", [withCert("turbine-01", NOW + 40 * DAY), withCert("turbine-02", NOW + 12 * DAY)]),
    );
    expect(one.headline).toBe("Client certificate of turbine-02 expires in 12 days");
  });
});

describe("ordering and counts", () => {
  const make = (id: string, s: SiteHealthInput) => health({ ...s, id, name: id, slug: id });
  const unreachableFor = (ms: number) => site("x", [cluster("c", reachFailing({ seenAgoMs: ms }), null)]);

  it("sorts worst first, most recent first within a severity, then by name (numeric-aware)", () => {
    const sites: SiteHealth[] = [
      make("Store 10", site("x", [storeUp("c")])),
      make("Store 2", site("x", [storeUp("c")])),
      make("old outage", unreachableFor(5 * HOUR)),
      make("new outage", unreachableFor(10 * MINUTE)),
      make(
        "down",
        site("x", [
          cluster("c", reachOk(5 * SECOND), summaryOf([{ name: "n", isReady: false, downForMs: MINUTE }])),
        ]),
      ),
      make("late", site("x", [cluster("c", reachOk(2 * MINUTE), null)])),
      make("empty", site("x", [])),
    ];
    const order = [...sites].sort(compareSiteHealth).map((h) => h.name);
    expect(order).toEqual(["down", "new outage", "old outage", "late", "empty", "Store 2", "Store 10"]);
  });

  it("maps severities back to their status band", () => {
    expect(statusForSeverity(0)).toBe("healthy");
    expect(statusForSeverity(5)).toBe("healthy");
    expect(statusForSeverity(47)).toBe("degraded");
    expect(statusForSeverity(60)).toBe("critical");
  });

  it("counts sites by status", () => {
    const counts = fleetCounts([
      make("a", site("x", [storeUp("c")])),
      make("b", site("x", [storeUp("c")])),
      make("c", unreachableFor(HOUR)),
      make("d", site("x", [])),
    ]);
    expect(counts).toEqual({
      total: 4,
      healthy: 2,
      unreachable: 1,
      unknown: 1,
      stale: 0,
      "expected-offline": 0,
      degraded: 0,
      critical: 0,
    });
  });

  it("rolls up 10,000 sites (30,000 clusters) with the right counts", () => {
    // Every 10th site unreachable, every 25th degraded (one NotReady node), the rest healthy.
    const sites: SiteHealthInput[] = Array.from({ length: 10_000 }, (_, i) => {
      const id = `store-${i}`;
      const clusters = [0, 1, 2].map((k) => {
        const name = `${id}-c${k}`;
        if (i % 10 === 0)
          return cluster(name, reachFailing({ seenAgoMs: HOUR }), summaryOf(readyNodes(name, 1)));
        if (i % 25 === 1 && k === 0) {
          return cluster(
            name,
            reachOk(5 * SECOND),
            summaryOf([{ name: `${name}-n1`, isReady: false, downForMs: MINUTE }, { name: `${name}-n2` }]),
          );
        }
        return cluster(name, reachOk(5 * SECOND), summaryOf(readyNodes(name, 1)));
      });
      return site(id, clusters);
    });
    const { sites: healths, counts } = rollUpSites(sites, NOW, INTERVAL);
    expect(counts).toEqual({
      total: 10_000,
      unreachable: 1_000,
      degraded: 400,
      healthy: 8_600,
      unknown: 0,
      stale: 0,
      "expected-offline": 0,
      critical: 0,
    });
    expect(healths[0]?.status).toBe("unreachable");
    expect(healths[healths.length - 1]?.status).toBe("healthy");
    const nodesReady = healths.reduce((n, h) => n + h.counts.nodesReady, 0);
    // healthy: 3 × 1 Ready; degraded: 1 of 2 + 1 + 1 Ready; unreachable: none current
    expect(nodesReady).toBe(8_600 * 3 + 400 * 3);
  });
});

describe("siteHealth: link quality", () => {
  const flapping = (id: string, since = ago(3 * MINUTE)) =>
    cluster(
      id,
      withPolls(
        { ...reachOk(8 * SECOND), lastErrorClass: "refused", lastErrorAt: ago(20 * SECOND) },
        "xoox xoox xoox",
        {
          flapSince: since,
        },
      ),
      summaryOf(readyNodes(id, 1)),
    );
  const slow = (id: string) =>
    cluster(
      id,
      withPolls(reachOk(9 * SECOND), "ooo sssss", { slowSince: ago(2 * MINUTE) }),
      summaryOf(readyNodes(id, 1)),
    );

  it("degrades a store whose polls fail by turns, with its own sentence and since", () => {
    const h = health(site("store", [flapping("store")]));
    expect(h).toMatchObject({
      status: "degraded",
      since: ago(3 * MINUTE),
      headline: "Intermittent link: 6 of the last 12 polls failed (connection refused)",
      axes: { reach: "intermittent" },
    });
    expect(h.reasons[0]).toMatchObject({ code: "link-intermittent", axis: "reach", clusterId: "store" });
  });

  it("shows a slow but answering site as reachable and slow, with its latency", () => {
    const h = health(site("store", [slow("store")]));
    expect(h).toMatchObject({
      status: "degraded",
      headline: "Slow link: 4.1 s per request",
      since: ago(2 * MINUTE),
      axes: { reach: "slow", condition: "ok" },
    });
    expect(h.counts.clustersFresh).toBe(1);
  });

  it("names the wavering turbines of a farm and the slow ones apart", () => {
    const h = health(
      site("farm", [
        ...turbines(4, (_, name) => storeUp(name, 1)),
        flapping("turbine-05"),
        slow("turbine-06"),
      ]),
    );
    expect(h.status).toBe("degraded");
    expect(h.reasons.map((r) => r.sentence)).toEqual([
      "1 of 6 clusters intermittent: turbine-05 (6 of 12 polls failed)",
      "1 of 6 clusters on a slow link: turbine-06 (4.1 s per request)",
    ]);
    expect(h.reasons[0]?.clusterId).toBe("turbine-05");
  });

  it("mentions a slow intermittent link once, in the intermittent sentence", () => {
    const c = cluster("s", withPolls(reachOk(5 * SECOND), "sxsx sxss xsss"), summaryOf(readyNodes("s", 1)));
    const h = health(site("s", [c]));
    expect(h.reasons.map((r) => r.code)).toEqual(["link-intermittent"]);
    expect(h.headline).toBe("Intermittent link: 4 of the last 12 polls failed; slow, 4.1 s per request");
  });

  it("lets a dark site be dark: unreachable outranks the flapping that came before", () => {
    const dark = cluster(
      "s",
      withPolls(
        reachFailing({ seenAgoMs: 20 * MINUTE, failures: 12, errorClass: "refused" }),
        "oxoxoxxxxxxx",
      ),
      summaryOf(readyNodes("s", 1)),
    );
    const h = health(site("s", [dark]));
    expect(h.status).toBe("unreachable");
    expect(h.reasons.map((r) => r.code)).not.toContain("link-intermittent");
  });

  it("only lists a wavering link for a vehicle, whose coverage comes and goes by design", () => {
    const h = health(site("truck", [flapping("truck")], { contactMode: "intermittent" }));
    expect(h.status).toBe("healthy");
    expect(h.reasons[0]?.code).toBe("link-intermittent");
    expect(h.headline).toContain("(+1 more)");
  });

  it("stays healthy with a steady history, and without one (older rows)", () => {
    const steady = cluster(
      "s",
      withPolls(reachOk(5 * SECOND), "oooooooooooo"),
      summaryOf(readyNodes("s", 1)),
    );
    expect(health(site("s", [steady]))).toMatchObject({ status: "healthy", axes: { reach: "reachable" } });
    expect(health(site("s", [storeUp("s")])).status).toBe("healthy");
  });
});
