// The write path of the cluster client against the real TLS simulator: any
// method, query and content type through the same agent; every HTTP answer
// resolves (with the Kubernetes Status for errors); only a missing answer rejects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "@/lib/simulator/simulator";
import { smallFleet } from "@/lib/simulator/testing";
import { type ClusterClient, openClusterClient, ReachFailure } from "./cluster-client";

let sim: SimulatorHandle;
let client: ClusterClient;
const policy = { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] as const };

beforeAll(async () => {
  sim = await startSimulator({ fleet: smallFleet(), podStartMs: 100, tickMs: 50 });
  client = await openClusterClient(sim.kubeconfigFor("store-beta-01", "edge"), policy);
});

afterAll(async () => {
  client?.close();
  await sim.stop();
});

const configMap = (data: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "via-request", namespace: "default" },
  data,
});

describe("ClusterClient.request", () => {
  it("server-side applies with a query and a content type, dry run first", async () => {
    const path = "/api/v1/namespaces/default/configmaps/via-request";
    const dry = await client.request<{ data: Record<string, string> }>("PATCH", path, {
      timeoutMs: 5000,
      body: configMap({ a: "1" }),
      contentType: "application/apply-patch+yaml",
      query: { fieldManager: "outpost", dryRun: "All" },
    });
    expect(dry.status).toBe(201);
    expect(dry.body?.data).toEqual({ a: "1" });
    expect((await client.request("GET", path, { timeoutMs: 5000 })).status).toBe(404);
    const applied = await client.request("PATCH", path, {
      timeoutMs: 5000,
      body: configMap({ a: "1" }),
      contentType: "application/apply-patch+yaml",
      query: { fieldManager: "outpost" },
    });
    expect(applied.status).toBe(201);
    expect(await client.get<{ data: Record<string, string> }>(path, { timeoutMs: 5000 })).toMatchObject({
      data: { a: "1" },
    });
  });

  it("resolves API errors with their Status body instead of throwing", async () => {
    const res = await client.request<{ reason: string; details: { causes: { field: string }[] } }>(
      "PATCH",
      "/apis/apps/v1/namespaces/default/deployments/x",
      {
        timeoutMs: 5000,
        body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: {} },
        contentType: "application/apply-patch+yaml",
        query: { fieldManager: "outpost", dryRun: "All" },
      },
    );
    expect(res.status).toBe(422);
    expect(res.body?.reason).toBe("Invalid");
    expect(res.body?.details.causes.map((c) => c.field)).toContain("spec.selector");
  });

  it("rejects with ReachFailure when no answer comes within the timeout", async () => {
    const fault = sim.faults.add({ type: "blackhole", site: "store-beta-01" });
    try {
      const hung = await openClusterClient(sim.kubeconfigFor("store-beta-01", "edge"), policy);
      const started = Date.now();
      const err = await hung.request("GET", "/version", { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ReachFailure);
      expect((err as ReachFailure).reach.errorClass).toBe("timeout");
      expect(Date.now() - started).toBeLessThan(3000);
      hung.close();
    } finally {
      sim.faults.remove(fault.id);
    }
  });
});
