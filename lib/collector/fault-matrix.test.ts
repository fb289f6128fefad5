import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { siteDetail } from "@/lib/fleet/health";
import { type FleetSpec, store, windFarm } from "@/lib/simulator/fleet";
import { createRng } from "@/lib/simulator/prng";
import type { SimulatorHandle } from "@/lib/simulator/simulator";
import { waitFor } from "@/lib/simulator/testing";
import { startImportedFleet } from "@/lib/testing/imported-fleet";
import { Collector, type CollectorOptions } from "./collector";

// The reach-side fault matrix: the running collector against the simulator over
// real TLS, each fault shown as its own state within a stated bound, the rest
// of the fleet unaffected, and the health API answering from the database
// whatever the links do. Polls are 1 s apart so the bounds are seconds; the
// health model judges freshness against a 5 s interval (fresh for 30 s), because
// at 1 s its limit (22 s) would be shorter than one detailed poll of a 4 s link.

const INTERVAL_MS = 1_000;
/** TLS sessions are resumed at most this long before the certificate is verified again. */
const SESSION_MAX_AGE_MS = 2_000;
/** Every health read answers from the database: bounded, however slow or dark the links. */
const API_BOUND_MS = 1_500;

const SLOW = "store-slow-01";
const FLAPPING = "store-flap-01";
const EXPIRED = "store-expired-01";
const REPLACED = "store-replaced-01";
const RENEWED = "store-renewed-01";
const STEADY = ["store-steady-01", "wf-steady-1"];

function matrixFleet(): FleetSpec {
  const rng = createRng(808);
  return {
    seed: 808,
    sites: [
      store(SLOW, "Slow store", 40.4, -3.7, "ES", 1, rng, "nuc"),
      store(FLAPPING, "Flapping store", 41.4, 2.2, "ES", 1, rng, "nuc"),
      store(EXPIRED, "Expired store", 48.1, 11.6, "DE", 1, rng, "nuc"),
      store(REPLACED, "Replaced store", 50.1, 8.7, "DE", 1, rng, "nuc"),
      store(RENEWED, "Renewed store", 52.5, 13.4, "DE", 1, rng, "nuc"),
      store("store-steady-01", "Steady store", 45.5, 9.2, "IT", 2, rng, "rpi"),
      windFarm("wf-steady-1", "Steady wind", 54.3, 6.2, 2, rng),
    ],
  };
}

let sim: SimulatorHandle;
let stopFleet: () => Promise<void>;
let collector: Collector;

const options: CollectorOptions = {
  policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
  schedule: { intervalMs: INTERVAL_MS },
  concurrency: 8,
  flushEveryMs: 200,
  // The product's 10 s: the slow link delays its TLS handshake by 4 s too, and a reconnect
  // (the flapping test restarts the collector) must not be called a timeout on a loaded machine.
  connectTimeoutMs: 10_000,
  session: { maxAgeMs: SESSION_MAX_AGE_MS },
};

beforeAll(async () => {
  ({ sim, stop: stopFleet } = await startImportedFleet(matrixFleet(), {
    OUTPOST_POLL_INTERVAL_SECONDS: "5",
  }));
  // A link that answers every request after 4 s, from the start.
  sim.faults.add({ type: "slow", site: SLOW, params: { latencyMs: 4_000 } });
  collector = new Collector(options);
  await collector.start();
  await waitFor(
    async () => (await db().clusterStatus.count({ where: { lastSuccessAt: { not: null } } })) >= 6,
    20_000,
  );
}, 60_000);

afterAll(async () => {
  await collector?.stop();
  await stopFleet?.();
});

/** The site's health as the API reports it, and how long the read took. */
async function health(slug: string) {
  const started = performance.now();
  const detail = await siteDetail(slug);
  return { ...detail, ms: performance.now() - started };
}

/** The rest of the fleet stays healthy, and every health read stays within its bound. */
async function expectOthersUnaffected(except: string[]): Promise<void> {
  for (const slug of STEADY.filter((s) => !except.includes(s))) {
    const h = await health(slug);
    expect(h.health.status, `${slug}: ${h.health.headline}`).toBe("healthy");
    expect(h.ms).toBeLessThan(API_BOUND_MS);
  }
}

async function contactRows(slug: string) {
  return db().contactEvent.findMany({
    where: { cluster: { site: { slug } } },
    orderBy: { at: "asc" },
  });
}

describe("fault matrix (reach side)", () => {
  it("flapping: intermittent within ~12 polls, one contact row for the run, survives a restart", async () => {
    const fault = sim.faults.add({
      type: "flapping",
      site: FLAPPING,
      params: { periodMs: 2_500, upFraction: 0.5 },
    });
    try {
      // Bound: the window holds 12 polls; three failures in two drops show within ~8 s at 1 s polls.
      const h = await waitFor(async () => {
        const d = await health(FLAPPING);
        return d.health.reasons[0]?.code === "link-intermittent" ? d : undefined;
      }, 20_000);
      expect(h.health.status).toBe("degraded");
      expect(h.health.headline).toMatch(
        /^Intermittent link: \d+ of the last \d+ polls failed \(connection (reset|refused)\)/,
      );
      expect(h.health.since).not.toBeNull();
      expect(h.clusters[0]?.freshness.link.state).toBe("intermittent");
      expect(h.ms).toBeLessThan(API_BOUND_MS);

      // The run is one row; more flaps do not add rows.
      const runStart = (await contactRows(FLAPPING)).find((e) => e.kind === "intermittent");
      expect(runStart?.endAt).toBeNull();
      const countAtDetection = (await contactRows(FLAPPING)).length;
      const pollsAtDetection = collector.stats().polls;
      await waitFor(() => collector.stats().polls >= pollsAtDetection + 6 * 7, 20_000);
      await collector.flush();
      const rows = await contactRows(FLAPPING);
      expect(rows.length).toBe(countAtDetection);
      expect(rows.filter((e) => e.kind !== "intermittent" && e.at >= (runStart?.at ?? new Date()))).toEqual(
        [],
      );

      // A restart picks the run up from the status row: same run, no new rows, still intermittent at once.
      await collector.stop();
      collector = new Collector(options);
      await collector.reload();
      const afterRestart = await health(FLAPPING);
      expect(afterRestart.health.reasons[0]?.code).toBe("link-intermittent");
      await collector.start();
      const polls = collector.stats().polls;
      await waitFor(() => collector.stats().polls >= polls + 7 * 4, 20_000);
      await collector.flush();
      const intermittentRows = (await contactRows(FLAPPING)).filter((e) => e.kind === "intermittent");
      expect(intermittentRows).toHaveLength(1);
      expect(intermittentRows[0]?.at.getTime()).toBe(runStart?.at.getTime());
      await expectOthersUnaffected([FLAPPING]);
    } finally {
      sim.faults.remove(fault.id);
    }
    // Steady again: the run closes with its counts, and the site is healthy once the window is clean.
    await waitFor(
      async () => ((await health(FLAPPING)).health.status === "healthy" ? true : undefined),
      30_000,
    );
    const closed = (await contactRows(FLAPPING)).find((e) => e.kind === "intermittent");
    expect(closed?.endAt).not.toBeNull();
    expect(closed?.failures).toBeGreaterThanOrEqual(3);
    expect((await contactRows(FLAPPING)).at(-1)?.kind).toBe("up");
  }, 120_000);

  it("slow (4 s per request): reachable and shown as slow with its latency, never 'timed out'", async () => {
    // Bound: two polls of a 4 s link (~30 s for the first, detailed one on a new connection).
    const h = await waitFor(async () => {
      const d = await health(SLOW);
      return d.health.reasons[0]?.code === "link-slow" ? d : undefined;
    }, 60_000);
    expect(h.health).toMatchObject({ status: "degraded", axes: { reach: "slow" } });
    expect(h.health.headline).toMatch(/^Slow link: 4\.\d s per request$/);
    expect(h.clusters[0]?.freshness).toMatchObject({ state: "fresh", errorClass: null });
    expect(h.clusters[0]?.freshness.link).toMatchObject({ state: "slow" });
    expect(h.clusters[0]?.freshness.link.latencyMs).toBeGreaterThanOrEqual(4_000);
    expect(h.ms).toBeLessThan(API_BOUND_MS);
    // Everything answered: no poll failed, nothing was called a timeout.
    const status = await db().clusterStatus.findFirstOrThrow({
      where: { cluster: { site: { slug: SLOW } } },
    });
    expect(status.lastErrorClass).toBeNull();
    expect((await contactRows(SLOW)).map((e) => e.kind)).toEqual(["up"]);
    await expectOthersUnaffected([SLOW]);
  }, 90_000);

  it("expired server certificate: the TLS problem it is, within the session bound, on a kept-alive link", async () => {
    const started = Date.now();
    const fault = sim.faults.add({ type: "tls-broken", site: EXPIRED, params: { mode: "expired" } });
    try {
      // Bound: the next full handshake (≤ SESSION_MAX_AGE_MS after the last one) plus one poll.
      const f = await waitFor(async () => {
        const d = await health(EXPIRED);
        const fresh = d.clusters[0]?.freshness;
        return fresh?.errorClass === "tls" ? fresh : undefined;
      }, 15_000);
      expect(Date.now() - started).toBeLessThan(SESSION_MAX_AGE_MS + 10 * INTERVAL_MS);
      expect(f.errorDetail).toBe("the server's TLS certificate has expired");
      expect(f.message).toContain("TLS handshake failed");
      await expectOthersUnaffected([EXPIRED]);
    } finally {
      sim.faults.remove(fault.id);
    }
    await waitFor(
      async () => ((await health(EXPIRED)).clusters[0]?.freshness.errorClass === null ? true : undefined),
      15_000,
    );
  }, 60_000);

  it("replaced server certificate (new CA): reported as replaced, not as a generic failure", async () => {
    const fault = sim.faults.add({ type: "tls-broken", site: REPLACED, params: { mode: "replaced" } });
    try {
      const f = await waitFor(async () => {
        const fresh = (await health(REPLACED)).clusters[0]?.freshness;
        return fresh?.errorClass === "tls" ? fresh : undefined;
      }, 15_000);
      expect(f.errorDetail).toMatch(
        /^the server's TLS certificate was replaced by one the kubeconfig's CA does not trust/,
      );
      await expectOthersUnaffected([REPLACED]);
    } finally {
      sim.faults.remove(fault.id);
    }
  }, 60_000);

  it("renewed server certificate (same CA): still reachable, and the change is in the contact history", async () => {
    const before = await db().clusterStatus.findFirstOrThrow({
      where: { cluster: { site: { slug: RENEWED } } },
    });
    expect(before.serverCertFingerprint).toMatch(/^[0-9A-F:]+$/);
    const fault = sim.faults.add({ type: "cert-renewed", site: RENEWED });
    try {
      const changed = await waitFor(
        async () => (await contactRows(RENEWED)).find((e) => e.kind === "cert-changed"),
        15_000,
      );
      expect(changed.message).toMatch(
        /^the server presents a new certificate, valid until \d{4}-\d{2}-\d{2}/,
      );
      const after = await db().clusterStatus.findFirstOrThrow({
        where: { cluster: { site: { slug: RENEWED } } },
      });
      expect(after.serverCertFingerprint).not.toBe(before.serverCertFingerprint);
      expect((await health(RENEWED)).health.status).toBe("healthy");
      await expectOthersUnaffected([RENEWED]);
    } finally {
      sim.faults.remove(fault.id);
    }
  }, 60_000);
});
