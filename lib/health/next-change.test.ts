import { describe, expect, it } from "vitest";
import { summaryStateOf } from "@/lib/fleet/summary/state";
import { createRng } from "@/lib/simulator/prng";
import { randomSiteInput } from "@/lib/testing/random-fleet";
import { nextCountdownTextChange, nextElapsedTextChange, nextStateChangeAt } from "./next-change";
import { siteHealth } from "./site";
import { cluster, DAY, HOUR, reachFailing, reachOk, readyNodes, site, summaryOf } from "./test-fixtures";

const NOW = Date.parse("2026-12-01T12:00:07.123Z");
const INTERVAL = 15_000;
const S = 1_000;
const M = 60 * S;

describe("text boundaries", () => {
  it("finds the next instant an elapsed time reads differently", () => {
    expect(nextElapsedTextChange(NOW - 4_500, NOW)).toBe(NOW - 4_500 + 5 * S);
    expect(nextElapsedTextChange(NOW - 59_999, NOW)).toBe(NOW - 59_999 + M);
    expect(nextElapsedTextChange(NOW - 90 * M, NOW)).toBe(NOW - 90 * M + 91 * M);
    expect(nextElapsedTextChange(NOW - 3 * 86_400_000 - 10, NOW)).toBe(NOW - 10 + 3_600_000);
    // A future instant (a clock ahead) reads "0 s" until a second has passed.
    expect(nextElapsedTextChange(NOW + 5 * S, NOW)).toBe(NOW + 6 * S);
  });

  it("finds the next instant a countdown reads differently", () => {
    expect(nextCountdownTextChange(NOW + 9 * 86_400_000 + 5, NOW)).toBe(NOW + 6);
    expect(nextCountdownTextChange(NOW + 30 * M + 500, NOW)).toBe(NOW + 501);
    expect(nextCountdownTextChange(NOW + 10 * S, NOW)).toBe(NOW + 1);
    expect(nextCountdownTextChange(NOW - 2 * S, NOW)).toBe(NOW + S);
  });
});

describe("nextStateChangeAt", () => {
  // For many random sites near every threshold: the state stays exactly what it was at t0 until the
  // computed instant. (At that instant it may or may not change: early is allowed, late is a bug.)
  it("the state holds until the instant, on random sites near every threshold", () => {
    const rng = createRng(20261201);
    let checked = 0;
    for (let i = 0; i < 1_500; i++) {
      const site = randomSiteInput(rng, i, NOW, INTERVAL);
      const h0 = siteHealth(site, NOW, INTERVAL);
      const next = nextStateChangeAt(site, NOW, INTERVAL, h0.reasons.length > 0);
      expect(next).toBeGreaterThan(NOW);
      const horizon = Math.min(next, NOW + 40 * 86_400_000);
      const probes = [
        horizon - 1,
        NOW + 1,
        ...Array.from({ length: 6 }, () => NOW + rng.next() * (horizon - NOW)),
      ];
      for (const t of probes) {
        if (t <= NOW || t >= next) continue;
        const state = summaryStateOf(siteHealth(site, Math.floor(t), INTERVAL));
        expect(state, `${site.id} at +${Math.floor(t) - NOW} ms (next at +${next - NOW} ms)`).toEqual(
          summaryStateOf(h0),
        );
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5_000);
  });

  it("is the real instant for the common cases: fresh to stale, a sentence that counts minutes", () => {
    const seen = NOW - 10 * S;
    const fresh = site("s", [cluster("c", reachOk(10 * S, NOW), summaryOf(readyNodes("s", 2)))]);
    const next = nextStateChangeAt(fresh, NOW, INTERVAL, false);
    // Fresh while at most 2 × 15 s + 20 s old: stale from the next millisecond on.
    expect(next).toBe(seen + 50 * S + 1);
    expect(siteHealth(fresh, next - 1, INTERVAL).status).toBe("healthy");
    expect(siteHealth(fresh, next, INTERVAL).status).toBe("stale");

    const notAfter = NOW + 31 * DAY;
    const certSite = site("s", [
      {
        ...cluster("c", reachOk(0, NOW), summaryOf(readyNodes("s", 1))),
        certNotAfter: new Date(notAfter).toISOString(),
      },
    ]);
    // Polled just now: the certificate window is not the first change, fresh → stale is.
    expect(nextStateChangeAt(certSite, NOW, INTERVAL, false)).toBe(NOW + 50 * S + 1);
    expect(siteHealth(certSite, notAfter - 30 * DAY, INTERVAL).reasons.map((r) => r.code)).toContain(
      "cert-expiring",
    );

    const dark = site("s", [
      cluster("c", reachFailing({ seenAgoMs: 2 * HOUR + 30 * S, now: NOW }), summaryOf(readyNodes("s", 1))),
    ]);
    const h = siteHealth(dark, NOW, INTERVAL);
    expect(h.headline).toMatch(/^Unreachable for 2 h: /);
    const textChange = nextStateChangeAt(dark, NOW, INTERVAL, true);
    expect(textChange - NOW).toBeLessThanOrEqual(M);
    expect(siteHealth(dark, textChange, INTERVAL).headline).toMatch(/^Unreachable for 2 h 1 m/);
  });
});
