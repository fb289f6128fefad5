import { describe, expect, it } from "vitest";
import type { ClusterClient, GetOptions } from "@/lib/kube/cluster-client";
import { parseCpu, parseMemory, pollCluster, SLOW_LINK_PARALLELISM } from "./poll";

describe("Kubernetes quantities", () => {
  it.each([
    ["2", 2000],
    ["500m", 500],
    ["250000000n", 250],
    ["1500u", 2],
    ["0.5", 500],
  ])("cpu %s = %d millicores", (q, expected) => {
    expect(parseCpu(q)).toBe(expected);
  });

  it.each([
    ["8039860Ki", 8039860 * 1024],
    ["512Mi", 512 * 1024 ** 2],
    ["2Gi", 2 * 1024 ** 3],
    ["1G", 1e9],
    ["123456", 123456],
  ])("memory %s = %d bytes", (q, expected) => {
    expect(parseMemory(q)).toBe(expected);
  });

  it("returns null for what it cannot read", () => {
    expect(parseCpu(undefined)).toBeNull();
    expect(parseMemory("12Xi")).toBeNull();
  });
});

/**
 * A stand-in for the HTTP client that only answers and records how many requests
 * were out at once; the real client is exercised against the simulator in the
 * collector and fault-matrix tests.
 */
function fakeClient(wireMs: number) {
  let inFlight = 0;
  const seen = { max: 0, paths: [] as string[] };
  const client = {
    server: "https://fake:6443",
    async get<T>(path: string, opts: GetOptions): Promise<T> {
      inFlight++;
      seen.max = Math.max(seen.max, inFlight);
      seen.paths.push(path.split("?")[0] ?? path);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      opts.onTiming?.(wireMs);
      return { items: [], metadata: {} } as T;
    },
  } as unknown as ClusterClient;
  return { client, seen };
}

describe("pollCluster: requests in flight", () => {
  it("queues a healthy link's requests one at a time; a light poll is nodes + leases", async () => {
    const { client, seen } = fakeClient(40);
    const report = await pollCluster(client, { isDetailed: false });
    expect(seen.max).toBe(1);
    expect(seen.paths).toEqual([
      "/api/v1/nodes",
      "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
    ]);
    expect(report.latencyMs).toBe(40);
    expect(report.usage).toBeNull();
  });

  it("sends the rest side by side once an answer took seconds", async () => {
    const { client, seen } = fakeClient(4_100);
    const report = await pollCluster(client, { isDetailed: true });
    expect(seen.max).toBe(SLOW_LINK_PARALLELISM);
    expect(seen.paths).toContain("/apis/metrics.k8s.io/v1beta1/nodes");
    expect(seen.paths).toHaveLength(9);
    expect(report.latencyMs).toBe(4_100);
  });

  it("starts side by side on a link known to be slow", async () => {
    const { client, seen } = fakeClient(4_100);
    await pollCluster(client, { isDetailed: false, parallelism: SLOW_LINK_PARALLELISM });
    expect(seen.max).toBe(2);
  });
});
