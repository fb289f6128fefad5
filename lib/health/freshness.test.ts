import { describe, expect, it } from "vitest";
import type { ReachErrorClass } from "@/lib/kube/error-class";
import { clusterFreshness, freshLimitMs, REACH_ERROR_PHRASE, unreachableAfterMs } from "./freshness";
import {
  ago,
  HOUR,
  INTERVAL,
  iso,
  MINUTE,
  NOW,
  notContacted,
  reachFailing,
  reachOk,
  SECOND,
  withPolls,
} from "./test-fixtures";

const fresh = (reach: Parameters<typeof clusterFreshness>[0], now = NOW) =>
  clusterFreshness(reach, now, INTERVAL);

describe("thresholds", () => {
  it("uses 2 × interval + 20 s for fresh and 5 intervals for unreachable", () => {
    expect(freshLimitMs(INTERVAL)).toBe(50 * SECOND);
    expect(unreachableAfterMs(INTERVAL)).toBe(75 * SECOND);
    expect(freshLimitMs(60 * SECOND)).toBe(140 * SECOND);
    expect(unreachableAfterMs(60 * SECOND)).toBe(5 * MINUTE);
  });

  it("never lets unreachable come before the end of fresh on a very short interval", () => {
    expect(unreachableAfterMs(SECOND)).toBe(freshLimitMs(SECOND));
  });
});

describe("clusterFreshness", () => {
  it("is never with a not-contacted-yet sentence before any attempt", () => {
    const f = fresh(notContacted());
    expect(f).toMatchObject({
      state: "never",
      ageMs: null,
      since: null,
      errorClass: null,
      message: "Not contacted yet",
    });
  });

  it("is unreachable 'never reached' when every attempt failed, since the estimated first failure", () => {
    const f = fresh(
      reachFailing({ seenAgoMs: null, errorClass: "auth", failures: 3, attemptAgoMs: 10 * SECOND }),
    );
    expect(f.state).toBe("unreachable");
    expect(f.message).toBe("Never reached after 3 attempts: credentials rejected");
    // the first retries come at the interval: 1→2 after 15 s, 2→3 after 15 s
    expect(f.since).toBe(ago(10 * SECOND + 30 * SECOND));
    expect(f.errorDetail).toBe("collector says auth");
  });

  it("is fresh at exactly 2 × interval + 20 s and stale one millisecond later", () => {
    const at = fresh(reachOk(50 * SECOND));
    expect(at).toMatchObject({ state: "fresh", ageMs: 50 * SECOND, message: "Last seen 50 s ago" });
    const after = fresh(reachFailing({ seenAgoMs: 50 * SECOND + 1, failures: 1 }));
    expect(after.state).toBe("stale");
    expect(after.since).toBe(ago(50 * SECOND + 1));
    expect(after.message).toBe("Last update 50 s ago; last attempt: connection timed out");
  });

  it("turns unreachable exactly at 5 intervals when the latest attempt failed", () => {
    expect(fresh(reachFailing({ seenAgoMs: 75 * SECOND - 1, failures: 3 })).state).toBe("stale");
    const f = fresh(reachFailing({ seenAgoMs: 75 * SECOND, failures: 3 }));
    expect(f).toMatchObject({
      state: "unreachable",
      errorClass: "timeout",
      since: ago(75 * SECOND),
      collector: "on-time",
    });
    expect(f.message).toBe("Unreachable for 1 m: connection timed out");
  });

  it("reports hours of darkness with the reason", () => {
    const f = fresh(
      reachFailing({
        seenAgoMs: 2 * HOUR + 14 * MINUTE + 5 * SECOND,
        errorClass: "refused",
        attemptAgoMs: MINUTE,
      }),
    );
    expect(f.message).toBe("Unreachable for 2 h 14 m: connection refused");
    expect(f.ageMs).toBe(2 * HOUR + 14 * MINUTE + 5 * SECOND);
  });

  it("stays fresh through a single failed attempt but says so", () => {
    const f = fresh(reachFailing({ seenAgoMs: 20 * SECOND, failures: 1, attemptAgoMs: 3 * SECOND }));
    expect(f.state).toBe("fresh");
    expect(f.errorClass).toBe("timeout");
    expect(f.message).toBe("Last seen 20 s ago; last attempt: connection timed out");
  });

  it("blames the collector, not the site, when attempts stop after a success", () => {
    const behind = fresh(reachOk(2 * MINUTE));
    expect(behind).toMatchObject({
      state: "stale",
      collector: "behind",
      message: "Last update 2 m ago (collector behind)",
    });
    const stopped = fresh(reachOk(10 * MINUTE));
    expect(stopped).toMatchObject({
      state: "stale",
      collector: "stopped",
      message: "Last update 10 m ago (collector stopped)",
    });
  });

  it("does not trust an old failure once the collector stopped trying", () => {
    // One failure means a retry was due 15 s later; none came for two hours.
    const f = fresh(reachFailing({ seenAgoMs: 2 * HOUR, failures: 1, attemptAgoMs: 2 * HOUR - INTERVAL }));
    expect(f.state).toBe("stale");
    expect(f.collector).toBe("stopped");
    expect(f.message).toBe("Last update 2 h ago (collector stopped)");
  });

  it("keeps a failing cluster unreachable while backoff retries run late, noting the lag", () => {
    // 30 failures: retries every 5 min; 12 min without one is behind, not stopped.
    const f = fresh(reachFailing({ seenAgoMs: 3 * HOUR, failures: 30, attemptAgoMs: 12 * MINUTE }));
    expect(f).toMatchObject({ state: "unreachable", collector: "behind" });
    expect(f.message).toBe("Unreachable for 3 h: connection timed out (collector behind)");
    // The same lag is normal with a longer backoff cap.
    expect(
      clusterFreshness(
        reachFailing({ seenAgoMs: 3 * HOUR, failures: 30, attemptAgoMs: 12 * MINUTE }),
        NOW,
        INTERVAL,
        {
          maxBackoffMs: 10 * MINUTE,
        },
      ).collector,
    ).toBe("on-time");
  });

  it("clamps a success stamped in the future (clock skew) to age 0", () => {
    const f = fresh({
      ...reachOk(0),
      lastSuccessAt: iso(NOW + 5 * SECOND),
      lastAttemptAt: iso(NOW + 5 * SECOND),
    });
    expect(f).toMatchObject({ state: "fresh", ageMs: 0, message: "Last seen just now" });
  });

  it("treats any result as an attempt when lastAttemptAt is missing", () => {
    const f = fresh({ ...reachOk(2 * MINUTE), lastAttemptAt: null });
    expect(f.collector).toBe("behind");
  });

  it.each(Object.entries(REACH_ERROR_PHRASE) as [ReachErrorClass, string][])(
    "names %s failures as '%s'",
    (errorClass, phrase) => {
      const f = fresh(reachFailing({ seenAgoMs: HOUR, errorClass }));
      expect(f.errorClass).toBe(errorClass);
      expect(f.message).toBe(`Unreachable for 1 h: ${phrase}`);
    },
  );

  it("uses the documented phrase for credential failures", () => {
    expect(REACH_ERROR_PHRASE.auth).toBe("credentials rejected");
  });
});

describe("clusterFreshness: link quality", () => {
  it("says a fresh cluster is intermittent, how often polls failed, and since when", () => {
    const reach = withPolls(
      { ...reachOk(4 * SECOND), lastErrorAt: ago(20 * SECOND), lastErrorClass: "refused" },
      "xoox xoox xoox",
      { flapSince: ago(3 * MINUTE) },
    );
    const f = fresh(reach);
    expect(f.state).toBe("fresh");
    expect(f.link).toEqual({
      state: "intermittent",
      latencyMs: 40,
      failures: 6,
      polls: 12,
      since: ago(3 * MINUTE),
    });
    expect(f.message).toBe("Intermittent: 6 of the last 12 polls failed; last seen 4 s ago");
  });

  it("names the latest failure when the last attempt failed", () => {
    const reach = withPolls(
      {
        ...reachOk(14 * SECOND),
        lastErrorAt: ago(1 * SECOND),
        lastErrorClass: "refused",
        consecutiveFailures: 1,
      },
      "oxoxoxoxox",
    );
    expect(fresh(reach).message).toBe(
      "Intermittent: 5 of the last 10 polls failed; last seen 14 s ago; last attempt: connection refused",
    );
  });

  it("says a slow cluster is slow, with its latency per request", () => {
    const f = fresh(withPolls(reachOk(9 * SECOND), "ooosssss", { slowSince: ago(MINUTE) }));
    expect(f.link).toMatchObject({ state: "slow", latencyMs: 4_100, since: ago(MINUTE) });
    expect(f.message).toBe("Slow link (4.1 s per request); last seen 9 s ago");
  });

  it("keeps the link steady for a dark cluster: unreachable says it all", () => {
    const f = fresh(withPolls(reachFailing({ seenAgoMs: 30 * MINUTE, failures: 12 }), "oxoxoxxxxxxx"));
    expect(f.state).toBe("unreachable");
    expect(f.link.state).toBe("steady");
  });
});
