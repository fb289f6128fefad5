import { describe, expect, it } from "vitest";
import { siteHealth } from "./site";
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
} from "./test-fixtures";
import type { SiteHealthInput, SiteTelemetryInput, TelemetryHostInput } from "./types";

const health = (s: SiteHealthInput) => siteHealth(s, NOW, INTERVAL);

function host(
  name: string,
  o: { lastAgo?: number | null; tempC?: number; loss?: number } = {},
): TelemetryHostInput {
  const last = o.lastAgo === undefined ? 10 * SECOND : o.lastAgo;
  return {
    host: name,
    clusterId: "c",
    lastPointAt: last === null ? null : ago(last),
    tempC: o.tempC ?? 60,
    tempAt: last === null ? null : ago(last),
    pingAt: last === null ? null : ago(last),
    lossPct: o.loss ?? 0,
  };
}

function telemetry(hosts: TelemetryHostInput[], extra: Partial<SiteTelemetryInput> = {}): SiteTelemetryInput {
  return { warnCelsius: 80, isExpected: false, lookbackMs: 24 * HOUR, hosts, ...extra };
}

const up = (nodes = 3) => cluster("c", reachOk(10 * SECOND), summaryOf(readyNodes("s", nodes)));

describe("siteHealth: telemetry axis", () => {
  it("stays unknown without telemetry input (InfluxDB down or not configured)", () => {
    expect(health(site("s", [up()])).axes.telemetry).toBe("unknown");
  });

  it("is ok when every node reports and none is hot", () => {
    const h = health(site("s", [up()], { telemetry: telemetry([host("s-n1"), host("s-n2"), host("s-n3")]) }));
    expect(h.status).toBe("healthy");
    expect(h.axes.telemetry).toBe("ok");
    expect(h.reasons).toEqual([]);
  });

  it("is hot above the site's threshold, naming the node and the limit", () => {
    const hosts = [host("s-n1", { tempC: 82.44 }), host("s-n2", { tempC: 79.9 })];
    const h = health(site("s", [up(2)], { telemetry: telemetry(hosts) }));
    expect(h.status).toBe("degraded");
    expect(h.axes.telemetry).toBe("hot");
    expect(h.headline).toBe("s-n1 at 82.4 °C (warning above 80.0 °C)");
    const cooler = health(site("s", [up(2)], { telemetry: telemetry(hosts, { warnCelsius: 85 }) }));
    expect(cooler.axes.telemetry).toBe("ok");
  });

  it("lists several hot nodes hottest first and ignores a stale reading", () => {
    const hosts = [
      host("a", { tempC: 81 }),
      host("b", { tempC: 90 }),
      host("c", { tempC: 99, lastAgo: 10 * MINUTE }),
    ];
    const h = health(site("s", [up(3)], { telemetry: telemetry(hosts) }));
    expect(h.reasons[0]?.sentence).toBe("2 nodes hot (warning above 80.0 °C): b 90.0 °C, a 81.0 °C");
  });

  it("says telemetry is broken when the API answers but no node sends points", () => {
    const hosts = [host("s-n1", { lastAgo: 12 * MINUTE }), host("s-n2", { lastAgo: 14 * MINUTE })];
    const h = health(site("s", [up(2)], { telemetry: telemetry(hosts) }));
    expect(h.status).toBe("stale");
    expect(h.axes).toMatchObject({ reach: "reachable", condition: "ok", telemetry: "stale" });
    expect(h.headline).toBe("Telemetry broken: no points for 12 m while the API answers");
    expect(h.since).toBe(ago(12 * MINUTE));
  });

  it("says link down when the API is unreachable and the pings went silent or failed", () => {
    const dark = cluster("c", reachFailing({ seenAgoMs: 20 * MINUTE }), summaryOf(readyNodes("s", 1)));
    const h = health(
      site("s", [dark], { telemetry: telemetry([host("s-n1", { lastAgo: 21 * MINUTE, loss: 100 })]) }),
    );
    expect(h.status).toBe("unreachable");
    expect(h.axes.telemetry).toBe("stale");
    const link = h.reasons.find((r) => r.code === "telemetry-stale");
    expect(link?.sentence).toBe("Link down: no telemetry for 21 m; last pings lost every probe");
    expect(link?.since).toBe(ago(21 * MINUTE));
  });

  it("keeps a dark API with flowing telemetry apart from a dead link", () => {
    const dark = cluster("c", reachFailing({ seenAgoMs: 20 * MINUTE }), summaryOf(readyNodes("s", 1)));
    const h = health(site("s", [dark], { telemetry: telemetry([host("s-n1")]) }));
    expect(h.status).toBe("unreachable");
    expect(h.axes.telemetry).toBe("ok");
    expect(h.reasons.map((r) => r.code)).toEqual(["site-unreachable"]);
  });

  it("lists a few silent nodes without turning the site stale, and skips NotReady nodes", () => {
    const summary = summaryOf([{ name: "n1" }, { name: "n2" }, { name: "n3", isReady: false }]);
    const hosts = [host("n1"), host("n2", { lastAgo: 30 * MINUTE }), host("n3", { lastAgo: HOUR })];
    const h = health(
      site("s", [cluster("c", reachOk(5 * SECOND), summary)], { telemetry: telemetry(hosts) }),
    );
    expect(h.status).toBe("degraded");
    const silent = h.reasons.find((r) => r.code === "telemetry-stale");
    expect(silent).toMatchObject({ severity: 5, sentence: "1 of 3 nodes send no telemetry: n2 for 30 m" });
    expect(h.axes.telemetry).toBe("ok");
  });

  it("flags a site bound to a data source that sent nothing in the whole lookback", () => {
    const quiet = health(site("s", [up()], { telemetry: telemetry([]) }));
    expect(quiet.axes.telemetry).toBe("unknown");
    expect(quiet.status).toBe("healthy");
    const bound = health(site("s", [up()], { telemetry: telemetry([], { isExpected: true }) }));
    expect(bound.axes.telemetry).toBe("stale");
    expect(bound.headline).toBe("Telemetry broken: no points in the last 1 d while the API answers");
  });

  it("expects silence from a vehicle out of coverage", () => {
    const truck = cluster(
      "c",
      reachFailing({ seenAgoMs: 2 * HOUR, errorClass: "timeout" }),
      summaryOf(readyNodes("t", 1)),
    );
    const h = health(
      site("truck", [truck], {
        contactMode: "intermittent",
        maxSilenceMinutes: 6 * 60,
        telemetry: telemetry([host("t-n1", { lastAgo: 2 * HOUR, loss: 100 })]),
      }),
    );
    expect(h.status).toBe("expected-offline");
    expect(h.reasons.map((r) => r.code)).toEqual(["expected-offline"]);
  });

  it("names a node whose clock is wrong instead of calling it silent or hot", () => {
    // nuc-01's only plausible reading is old; its live points carry a clock 2 h ahead.
    const skewed = {
      ...host("nuc-01", { lastAgo: 20 * MINUTE, tempC: 52 }),
      clockSkewMs: 2 * HOUR - 4 * SECOND,
    };
    const h = health(site("s", [up(2)], { telemetry: telemetry([skewed, host("nuc-02")]) }));
    expect(h.status).toBe("healthy");
    const clock = h.reasons.find((r) => r.code === "telemetry-clock");
    expect(clock).toMatchObject({ axis: "telemetry", severity: 5, sentence: "Clock wrong on nuc-01 (+2 h)" });
    expect(h.reasons.map((r) => r.code)).toEqual(["telemetry-clock"]);
    expect(h.axes.telemetry).toBe("ok");
  });

  it("turns telemetry stale when every node is misdated, and names a 1970 board", () => {
    const boot = { ...host("pi-1", { lastAgo: null }), clockSkewMs: 95_000 - NOW };
    const behind = { ...host("pi-2", { lastAgo: 2 * HOUR }), clockSkewMs: -(2 * HOUR) };
    const h = health(site("s", [up(2)], { telemetry: telemetry([boot, behind]) }));
    expect(h.status).toBe("stale");
    expect(h.axes.telemetry).toBe("stale");
    expect(h.headline).toBe("Clocks wrong on 2 nodes: pi-1 (clock at 1970), pi-2 (−2 h)");
  });

  it("a wrong clock is not reported for a vehicle out of coverage", () => {
    const truck = cluster(
      "c",
      reachFailing({ seenAgoMs: 2 * HOUR, errorClass: "timeout" }),
      summaryOf(readyNodes("t", 1)),
    );
    const h = health(
      site("truck", [truck], {
        contactMode: "intermittent",
        maxSilenceMinutes: 6 * 60,
        telemetry: telemetry([{ ...host("t-n1", { lastAgo: 2 * HOUR }), clockSkewMs: HOUR }]),
      }),
    );
    expect(h.reasons.map((r) => r.code)).toEqual(["expected-offline"]);
  });
});
