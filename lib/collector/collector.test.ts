import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { fleetHealth, siteDetail } from "@/lib/fleet/health";
import type { ClusterSummary } from "@/lib/health/types";
import type { SimulatorHandle } from "@/lib/simulator/simulator";
import { smallFleet, waitFor } from "@/lib/simulator/testing";
import { startImportedFleet } from "@/lib/testing/imported-fleet";
import { Collector } from "./collector";

// The collector against the simulator over real TLS: what it stores, how it
// classifies failures, that a blackholed cluster does not hold up the rest,
// and that sockets stay bounded sweep after sweep.

let sim: SimulatorHandle;
let stopFleet: () => Promise<void>;
let collector: Collector;
const policy = { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] as const };

beforeAll(async () => {
  ({ sim, stop: stopFleet } = await startImportedFleet(smallFleet(), {
    OUTPOST_POLL_INTERVAL_SECONDS: "15",
  }));
  collector = new Collector({
    policy: { ...policy, schemes: ["https:"] },
    concurrency: 8,
    // A blackholed cluster costs the test one connect deadline.
    connectTimeoutMs: 3_000,
  });
  await collector.reload();
}, 60_000);

afterAll(async () => {
  await collector?.stop();
  await stopFleet?.();
});

async function statusOf(site: string) {
  const s = await db().site.findUniqueOrThrow({
    where: { slug: site },
    include: { clusters: { include: { status: true } } },
  });
  return s.clusters.map((c) => c.status);
}

function firstCluster(slug: string): string {
  return sim.fleet.sites.find((s) => s.slug === slug)?.clusters[0]?.name ?? "";
}

describe("collector", () => {
  it("polls every cluster and stores snapshots and summaries", async () => {
    const sweep = await collector.sweepOnce();
    const total = sim.runtimes.length;
    expect(sweep).toMatchObject({ ok: total, failed: 0 });
    const rows = await db().clusterStatus.findMany();
    expect(rows).toHaveLength(total);
    const store = (await statusOf("store-alpha-01"))[0];
    const summary = JSON.parse(store?.summary ?? "null") as ClusterSummary;
    expect(summary.nodeCount).toBe(3);
    expect(summary.readyCount).toBe(3);
    expect(store?.gitVersion).toMatch(/\+k3s/);
    const snapshot = JSON.parse(store?.snapshot ?? "{}");
    expect(snapshot.nodes[0].kubeletVersion).toMatch(/\+k3s/);
    expect(snapshot.nodes[0].leaseRenewTime).not.toBeNull();
    expect(snapshot.nodes[0].memoryCapacity).toBeGreaterThan(512 * 1024 ** 2);
    expect(snapshot.nodes[0].cpuCapacity).toBeGreaterThanOrEqual(1000);
    // Usage comes with the details (the first poll is detailed) and is carried over light polls.
    expect(snapshot.nodes[0].memoryUsage).toBeGreaterThan(0);
    await collector.sweepOnce();
    const light = JSON.parse((await statusOf("store-alpha-01"))[0]?.snapshot ?? "{}");
    expect(light.nodes[0].memoryUsage).toBe(snapshot.nodes[0].memoryUsage);
    expect(light.observedAt > snapshot.observedAt).toBe(true);
    const fleet = await fleetHealth(Date.now() + 5_000);
    expect(fleet.counts.healthy).toBe(sim.fleet.sites.length);
    // One "up" transition per cluster, recorded once.
    expect(await db().contactEvent.count({ where: { kind: "up" } })).toBe(total);
  });

  it("records a NotReady node as the site reporting a problem", async () => {
    const node = sim.fleet.sites.find((s) => s.slug === "store-alpha-01")?.clusters[0]?.nodes[1]?.name;
    const fault = sim.faults.add({
      type: "node-not-ready",
      site: "store-alpha-01",
      cluster: firstCluster("store-alpha-01"),
      node,
    });
    try {
      await collector.sweepOnce();
      const detail = await siteDetail("store-alpha-01");
      expect(detail.health.status).toBe("degraded");
      expect(detail.health.headline).toContain("1 of 3 nodes");
      expect(detail.clusters[0]?.nodes.find((n) => n.name === node)?.readiness).not.toBe("Ready");
    } finally {
      sim.faults.remove(fault.id);
    }
  });

  it("classifies an offline cluster and keeps its last-known state", async () => {
    const fault = sim.faults.add({ type: "offline", site: "truck-001" });
    try {
      // The first failure may hit the kept-alive socket (reset); the retry opens a new one (refused).
      await collector.sweepOnce();
      await collector.sweepOnce();
      const [truck] = await statusOf("truck-001");
      expect(truck?.lastErrorClass).toBe("refused");
      expect(truck?.consecutiveFailures).toBe(2);
      expect(JSON.parse(truck?.summary ?? "{}").nodeCount).toBe(1);
      expect(await db().contactEvent.count({ where: { kind: "down" } })).toBe(1);
      // The history says what is failing now, whichever failure came first.
      const lost = await db().contactEvent.findFirstOrThrow({ where: { kind: "down" } });
      expect(lost.latestErrorClass ?? lost.errorClass).toBe("refused");
      if (lost.errorClass !== "refused") expect(lost.latestMessage).toBe("connection refused");
      // A vehicle is dark by design in its nightly window; judge this one as always-on so the
      // outcome does not depend on the wall clock.
      await db().site.update({
        where: { slug: "truck-001" },
        data: { contactMode: "continuous", expectedOfflineWindows: "[]" },
      });
      const detail = await siteDetail("truck-001", Date.now() + 120_000);
      expect(detail.health.status).toBe("unreachable");
      expect(detail.health.headline).toContain("connection refused");
    } finally {
      sim.faults.remove(fault.id);
    }
    await collector.sweepOnce();
    const [back] = await statusOf("truck-001");
    expect(back?.consecutiveFailures).toBe(0);
  });

  it("does not let a blackholed cluster delay the others", async () => {
    const fault = sim.faults.add({
      type: "blackhole",
      site: "store-beta-01",
      cluster: firstCluster("store-beta-01"),
    });
    try {
      // The kept-alive connection is cut when the fault starts (that poll fails at once, reset);
      // the next one opens a new connection, which hangs.
      await collector.sweepOnce();
      const started = Date.now();
      const others = (await db().clusterStatus.findMany()).length - 1;
      const sweep = collector.sweepOnce();
      // While the blackholed poll hangs, every other cluster's result is written.
      let isSweepDone = false;
      void sweep.then(() => {
        isSweepDone = true;
      });
      await waitFor(async () => {
        await collector.flush();
        const fresh = await db().clusterStatus.count({
          where: { lastSuccessAt: { gte: new Date(started) } },
        });
        return fresh === others;
      }, 20_000);
      expect(isSweepDone).toBe(false);
      const result = await sweep;
      expect(result.failed).toBe(1);
      const [beta] = await statusOf("store-beta-01");
      expect(beta?.lastErrorClass).toBe("timeout");
      expect(beta?.lastErrorMessage).toBe("connection timed out (no TLS session within 3 s)");
    } finally {
      sim.faults.remove(fault.id);
    }
  }, 30_000);

  it("reuses one agent per cluster: sockets stay bounded across sweeps", async () => {
    await collector.sweepOnce();
    const first = collector.stats().sockets;
    for (let i = 0; i < 5; i++) await collector.sweepOnce();
    const after = collector.stats();
    expect(after.openClients).toBe(sim.runtimes.length);
    expect(after.sockets).toBeLessThanOrEqual(Math.max(first, sim.runtimes.length * 2));
  }, 60_000);

  it("keeps at most maxKeptConnections connections; the other clusters resume their TLS sessions", async () => {
    const total = sim.runtimes.length;
    const capped = new Collector({ policy, concurrency: 8, maxKeptConnections: 2 });
    try {
      for (let i = 0; i < 3; i++) expect(await capped.sweepOnce()).toMatchObject({ ok: total, failed: 0 });
      // A socket closed after the last poll leaves the agent's lists when its close event comes.
      await expect.poll(() => capped.stats().sockets).toBe(2);
      const stats = capped.stats();
      expect(stats.keptSlots).toBe(2);
      // Sweeps 2 and 3 reconnect every cluster without a slot, each time by resuming its session.
      expect(stats.handshakes.resumed).toBeGreaterThanOrEqual((total - 2) * 2);
      expect(stats.handshakes.full).toBe(total);
    } finally {
      await capped.stop();
    }
  }, 60_000);
});
