import * as k8s from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "./scenario";
import { type SimulatorHandle, startSimulator } from "./simulator";
import { kubeConfigFor, postJson, smallFleet, waitFor } from "./testing";

let sim: SimulatorHandle;

beforeAll(async () => {
  sim = await startSimulator({ fleet: smallFleet(), podStartMs: 100, tickMs: 50 });
});

afterAll(async () => {
  await sim.stop();
});

afterEach(() => {
  sim.faults.clear();
});

interface Probe {
  status?: number;
  error?: string;
  ms: number;
  bytes?: number;
}

/** One HTTPS GET with the cluster's kubeconfig credentials and a hard client timeout. */
async function probe(site: string, cluster: string, path = "/version", timeoutMs = 2000): Promise<Probe> {
  const kc = kubeConfigFor(sim, site, cluster);
  const init = await kc.applyToFetchOptions({});
  const { default: fetch } = await import("node-fetch");
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(`${kc.getCurrentCluster()?.server}${path}`, {
      ...(init as object),
      signal: controller.signal,
    } as never);
    const body = await res.buffer();
    return { status: res.status, ms: performance.now() - started, bytes: body.length };
  } catch (err) {
    const e = err as { code?: string; type?: string; name?: string; errno?: string };
    return {
      error: e.type === "aborted" || e.name === "AbortError" ? "TIMEOUT" : (e.code ?? e.errno ?? String(err)),
      ms: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

describe("control API", () => {
  it("validates faults with zod and answers 400 with the problems", async () => {
    const bad = await postJson(`${sim.controlUrl}/faults`, {
      type: "slow",
      site: "store-alpha-01",
      params: { latencyMs: -5 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("latencyMs");
    const unknownType = await postJson(`${sim.controlUrl}/faults`, {
      type: "meteor",
      site: "store-alpha-01",
    });
    expect(unknownType.status).toBe(400);
    const unknownSite = await postJson(`${sim.controlUrl}/faults`, { type: "offline", site: "nowhere" });
    expect(unknownSite.status).toBe(400);
    expect(JSON.stringify(unknownSite.body)).toContain('unknown site \\"nowhere\\"');
    const unknownNode = await postJson(`${sim.controlUrl}/faults`, {
      type: "node-cordoned",
      site: "store-alpha-01",
      cluster: "edge",
      node: "pi-99",
    });
    expect(unknownNode.status).toBe(400);
  });

  it("adds, lists, expires and deletes faults", async () => {
    const created = await postJson(`${sim.controlUrl}/faults`, {
      type: "telemetry-broken",
      site: "store-beta-01",
      cluster: "edge",
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const listed = (await (await fetch(`${sim.controlUrl}/faults`)).json()) as { faults: { id: string }[] };
    expect(listed.faults.map((f) => f.id)).toContain(id);
    expect(sim.faults.isTelemetryBroken("store-beta-01", "edge")).toBe(true);
    const removed = await postJson(`${sim.controlUrl}/faults/${id}`, undefined, "DELETE");
    expect(removed.status).toBe(200);
    expect(sim.faults.isTelemetryBroken("store-beta-01", "edge")).toBe(false);

    await postJson(`${sim.controlUrl}/faults`, {
      type: "overheating",
      site: "wf-test-1",
      cluster: "turbine-01",
      node: "t01-node",
      params: { celsius: 30 },
      durationMs: 150,
    });
    expect(sim.faults.overheatCelsius("wf-test-1", "turbine-01", "t01-node")).toBe(30);
    expect(sim.faults.overheatCelsius("wf-test-1", "turbine-02", "t02-node")).toBe(0);
    await waitFor(() => sim.faults.list().length === 0, 2000);
    expect(sim.faults.overheatCelsius("wf-test-1", "turbine-01", "t01-node")).toBe(0);
    const cleared = await postJson(`${sim.controlUrl}/faults`, undefined, "DELETE");
    expect(cleared.status).toBe(200);
  });

  it("clock-skew shifts one node's clock, ahead by default or booted in 1970", async () => {
    const bad = await postJson(`${sim.controlUrl}/faults`, {
      type: "clock-skew",
      site: "wf-test-1",
      params: { offsetMs: 20 * 365 * 86_400_000 },
    });
    expect(bad.status).toBe(400);
    const ahead = await postJson(`${sim.controlUrl}/faults`, {
      type: "clock-skew",
      site: "wf-test-1",
      cluster: "turbine-01",
      node: "t01-node",
    });
    expect(ahead.status).toBe(201);
    expect(sim.faults.clockOffsetMs?.("wf-test-1", "turbine-01", "t01-node")).toBe(2 * 3_600_000);
    expect(sim.faults.clockOffsetMs?.("wf-test-1", "turbine-02", "t02-node")).toBe(0);
    sim.faults.clear();
    const booted = sim.faults.add({
      type: "clock-skew",
      site: "wf-test-1",
      cluster: "turbine-02",
      node: "t02-node",
      params: { isEpochBoot: true },
    });
    const offset = sim.faults.clockOffsetMs?.("wf-test-1", "turbine-02", "t02-node") ?? 0;
    // The board's clock reads "just after 1970-01-01": now + offset is the time since the fault began.
    expect(offset).toBe(-booted.startedAtMs);
    expect(new Date(Date.now() + offset).getUTCFullYear()).toBe(1970);
  });

  it("replays scenario steps on time", async () => {
    const handle = runScenario(
      {
        name: "t",
        steps: [
          { atMs: 0, type: "uplink-down", site: "truck-001" },
          { atMs: 150, type: "telemetry-broken", site: "store-beta-01" },
        ],
      },
      sim.faults,
    );
    await waitFor(() => sim.faults.isUplinkDown("truck-001"), 1000);
    expect(sim.faults.isTelemetryBroken("store-beta-01", "edge")).toBe(false);
    await waitFor(() => sim.faults.isTelemetryBroken("store-beta-01", "edge"), 1000);
    handle.stop();
  });
});

describe("network faults", () => {
  it("offline refuses connections: ECONNREFUSED on a dedicated port, reset on a shared one", async () => {
    expect((await probe("truck-001", "truck")).status).toBe(200);
    sim.faults.add({ type: "offline", site: "truck-001" });
    await waitFor(async () => (await probe("truck-001", "truck")).error === "ECONNREFUSED", 2000);
    sim.faults.add({ type: "offline", site: "store-beta-01" });
    const shared = await probe("store-beta-01", "edge");
    expect(shared.status).toBeUndefined();
    expect(shared.error).toMatch(/ECONNRESET|ECONNREFUSED|EPIPE/);
    expect((await probe("store-alpha-01", "edge")).status).toBe(200);
    sim.faults.clear();
    await waitFor(async () => (await probe("truck-001", "truck")).status === 200, 3000);
    expect((await probe("store-beta-01", "edge")).status).toBe(200);
  });

  it("uplink-down makes the API unreachable and reports the site as buffering", async () => {
    sim.faults.add({ type: "uplink-down", site: "store-beta-01" });
    expect(sim.faults.isUplinkDown("store-beta-01")).toBe(true);
    expect((await probe("store-beta-01", "edge")).status).toBeUndefined();
  });

  it("blackhole accepts and never answers, so the client times out", async () => {
    sim.faults.add({ type: "blackhole", site: "store-beta-01", cluster: "edge" });
    const result = await probe("store-beta-01", "edge", "/version", 600);
    expect(result.error).toBe("TIMEOUT");
    expect(result.ms).toBeGreaterThanOrEqual(550);
  });

  it("slow adds at least the configured latency", async () => {
    const baseline = await probe("store-beta-01", "edge");
    expect(baseline.status).toBe(200);
    sim.faults.add({ type: "slow", site: "store-beta-01", params: { latencyMs: 300, jitterMs: 50 } });
    const slow = await probe("store-beta-01", "edge");
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(300);
  });

  it("bandwidth limits the bytes per second of responses", async () => {
    const fast = await probe("store-beta-01", "edge", "/api/v1/pods");
    expect(fast.bytes).toBeGreaterThan(8000);
    sim.faults.add({ type: "bandwidth", site: "store-beta-01", params: { bytesPerSecond: 20_000 } });
    const limited = await probe("store-beta-01", "edge", "/api/v1/pods", 10_000);
    expect(limited.status).toBe(200);
    const expectedMs = ((limited.bytes ?? 0) / 20_000) * 1000 - 150;
    expect(limited.ms).toBeGreaterThanOrEqual(expectedMs);
  });

  it("flapping alternates between refused and answered", async () => {
    sim.faults.add({ type: "flapping", site: "store-beta-01", params: { periodMs: 400, upFraction: 0.5 } });
    const outcomes = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const r = await probe("store-beta-01", "edge", "/version", 1000);
      outcomes.add(r.status === 200 ? "up" : "down");
      await new Promise((resolve) => setTimeout(resolve, 70));
    }
    expect([...outcomes].sort()).toEqual(["down", "up"]);
  });

  it("tls-broken serves an expired or wrong-CA certificate", async () => {
    sim.faults.add({ type: "tls-broken", site: "store-beta-01", params: { mode: "expired" } });
    expect((await probe("store-beta-01", "edge")).error).toBe("CERT_HAS_EXPIRED");
    sim.faults.clear();
    sim.faults.add({ type: "tls-broken", site: "store-beta-01", params: { mode: "wrong-ca" } });
    expect((await probe("store-beta-01", "edge")).error).toMatch(
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/,
    );
    sim.faults.clear();
    expect((await probe("store-beta-01", "edge")).status).toBe(200);
  });

  it("tls-broken 'replaced' serves a new CA's certificate; cert-renewed a new one the old CA still signs", async () => {
    const served = async () => {
      const kc = kubeConfigFor(sim, "store-beta-01", "edge");
      const opts: import("node:https").RequestOptions = {};
      await kc.applyToHTTPSOptions(opts);
      const url = new URL(kc.getCurrentCluster()?.server ?? "");
      const tls = await import("node:tls");
      return new Promise<{ fingerprint?: string; error?: string; issuer?: string }>((resolve) => {
        const socket = tls.connect({
          host: url.hostname,
          port: Number(url.port),
          servername: kc.getCurrentCluster()?.tlsServerName ?? undefined,
          ca: opts.ca,
          cert: opts.cert,
          key: opts.key,
          rejectUnauthorized: false,
        });
        socket.once("secureConnect", () => {
          const cert = socket.getPeerX509Certificate();
          resolve({
            fingerprint: cert?.fingerprint256,
            issuer: cert?.issuer,
            ...(socket.authorized ? {} : { error: String(socket.authorizationError) }),
          });
          socket.destroy();
        });
        socket.once("error", (err) => resolve({ error: String(err) }));
      });
    };
    const original = await served();
    expect(original.error).toBeUndefined();
    sim.faults.add({ type: "tls-broken", site: "store-beta-01", params: { mode: "replaced" } });
    const replaced = await served();
    expect(replaced.error).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
    expect(replaced.issuer).toMatch(/k3s-server-ca@\d+/);
    sim.faults.clear();
    sim.faults.add({ type: "cert-renewed", site: "store-beta-01" });
    const renewed = await served();
    expect(renewed.error).toBeUndefined();
    expect(renewed.fingerprint).not.toBe(original.fingerprint);
    expect((await probe("store-beta-01", "edge")).status).toBe(200);
  });

  it("credentials-rotated answers 401 until cleared", async () => {
    sim.faults.add({ type: "credentials-rotated", site: "store-beta-01" });
    expect((await probe("store-beta-01", "edge", "/api/v1/nodes")).status).toBe(401);
    sim.faults.clear();
    expect((await probe("store-beta-01", "edge", "/api/v1/nodes")).status).toBe(200);
  });
});

describe("node faults", () => {
  it("node-not-ready flips Ready to Unknown, taints the node and freezes its lease", async () => {
    const kc = kubeConfigFor(sim, "store-alpha-01", "edge");
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
    sim.faults.add({ type: "node-not-ready", site: "store-alpha-01", cluster: "edge", node: "pi-02" });
    const node = await core.readNode({ name: "pi-02" });
    const ready = node.status?.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "Unknown", reason: "NodeStatusUnknown" });
    expect(node.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual([
      "node.kubernetes.io/unreachable:NoSchedule",
      "node.kubernetes.io/unreachable:NoExecute",
    ]);
    const other = await core.readNode({ name: "pi-01" });
    expect(other.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    const lease = await coordination.readNamespacedLease({ name: "pi-02", namespace: "kube-node-lease" });
    const frozen = String(lease.spec?.renewTime);
    expect(sim.faults.isNodeDown("store-alpha-01", "edge", "pi-02")).toBe(true);
    const metrics = (await new k8s.Metrics(kc).getNodeMetrics()).items.map((m) => m.metadata.name);
    expect(metrics).not.toContain("pi-02");
    sim.faults.clear();
    const back = await core.readNode({ name: "pi-02" });
    expect(back.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(back.spec?.taints).toBeUndefined();
    const renewed = await coordination.readNamespacedLease({ name: "pi-02", namespace: "kube-node-lease" });
    expect(Date.now() - new Date(String(renewed.spec?.renewTime)).getTime()).toBeLessThanOrEqual(10_500);
    expect(frozen).toBeTruthy();
  });

  it("node-cordoned marks the node unschedulable and uncordons on clear", async () => {
    const core = kubeConfigFor(sim, "store-alpha-01", "edge").makeApiClient(k8s.CoreV1Api);
    sim.faults.add({ type: "node-cordoned", site: "store-alpha-01", cluster: "edge", node: "pi-03" });
    const node = await core.readNode({ name: "pi-03" });
    expect(node.spec?.unschedulable).toBe(true);
    expect(node.spec?.taints?.[0]?.key).toBe("node.kubernetes.io/unschedulable");
    const cordoned = await core.listNode({ fieldSelector: "spec.unschedulable=true" });
    expect(cordoned.items.map((n) => n.metadata?.name)).toEqual(["pi-03"]);
    sim.faults.clear();
    expect((await core.readNode({ name: "pi-03" })).spec?.unschedulable).toBeUndefined();
  });
});
