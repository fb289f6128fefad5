import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestLog } from "./request-log";
import { type SimulatorHandle, startSimulator } from "./simulator";
import { kubeConfigFor, rawRequest, smallFleet } from "./testing";

describe("RequestLog", () => {
  it("keeps only the configured request, oldest dropped beyond the limit", () => {
    const log = new RequestLog({ path: "/api/v1/nodes", limit: 2 });
    log.record("s", "c", "GET", "/api/v1/nodes", "a", 1);
    log.record("s", "c", "GET", "/api/v1/pods", "a", 2);
    log.record("s", "c", "POST", "/api/v1/nodes", "a", 3);
    log.record("s", "c", "get", "/api/v1/nodes", "b", 4);
    log.record("s", "c", undefined, "/api/v1/nodes", "c", 5);
    expect(log.entries().map((e) => [e.agent, e.at])).toEqual([
      ["b", 4],
      ["c", 5],
    ]);
    expect(log.entries(5).map((e) => e.agent)).toEqual(["c"]);
    expect(log.clear()).toBe(2);
    expect(log.entries()).toEqual([]);
  });
});

describe("simulator request log over the control API", () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startSimulator({ fleet: smallFleet(), requestLog: { path: "/api/v1/nodes" } });
  });
  afterAll(() => sim?.stop());

  it("records who asked which cluster for its nodes, by User-Agent", async () => {
    const kc = kubeConfigFor(sim, "store-beta-01", "edge");
    const started = Date.now();
    expect(
      (await rawRequest(kc, "/api/v1/nodes", { headers: { "user-agent": "Outpost/worker-a" } })).status,
    ).toBe(200);
    await rawRequest(kc, "/api/v1/namespaces", { headers: { "user-agent": "Outpost/worker-a" } });
    await rawRequest(kc, "/api/v1/nodes?limit=5", { headers: { "user-agent": "Outpost/worker-b" } });

    const res = await fetch(`${sim.controlUrl}/requests?since=${started}`);
    const body = (await res.json()) as { columns: string[]; rows: [string, string, string, number][] };
    expect(body.columns).toEqual(["site", "cluster", "agent", "at"]);
    expect(body.rows.map(([site, cluster, agent]) => [site, cluster, agent])).toEqual([
      ["store-beta-01", "edge", "Outpost/worker-a"],
      ["store-beta-01", "edge", "Outpost/worker-b"],
    ]);
    expect(body.rows.every(([, , , at]) => at >= started)).toBe(true);

    expect((await fetch(`${sim.controlUrl}/requests?since=-1`)).status).toBe(400);
    expect(await (await fetch(`${sim.controlUrl}/requests`, { method: "DELETE" })).json()).toEqual({
      removed: 2,
    });
    expect(sim.requests?.entries()).toEqual([]);
  });

  it("answers 404 when no log is kept", async () => {
    const plain = await startSimulator({ fleet: smallFleet() });
    try {
      expect((await fetch(`${plain.controlUrl}/requests`)).status).toBe(404);
      expect(plain.requests).toBeUndefined();
    } finally {
      await plain.stop();
    }
  });
});
