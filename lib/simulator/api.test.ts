import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "./simulator";
import { kubeConfigFor, smallFleet, statusBody, statusOf, waitFor } from "./testing";

let sim: SimulatorHandle;
let kc: k8s.KubeConfig;
let core: k8s.CoreV1Api;
let apps: k8s.AppsV1Api;

beforeAll(async () => {
  sim = await startSimulator({
    fleet: smallFleet(),
    podStartMs: 150,
    deadlineScale: 0.002,
    historyLimit: 64,
    bookmarkIntervalMs: 200,
    tickMs: 50,
  });
  kc = kubeConfigFor(sim, "store-alpha-01", "edge");
  core = kc.makeApiClient(k8s.CoreV1Api);
  apps = kc.makeApiClient(k8s.AppsV1Api);
});

afterAll(async () => {
  await sim.stop();
});

async function rawGet(path: string, config = kc): Promise<{ status: number; json: unknown }> {
  const cluster = config.getCurrentCluster();
  const init = await config.applyToFetchOptions({});
  const { default: fetch } = await import("node-fetch");
  const res = await fetch(`${cluster?.server}${path}`, init as never);
  const text = await res.text();
  return { status: res.status, json: text.startsWith("{") ? JSON.parse(text) : text };
}

describe("kubeconfig and discovery", () => {
  it("writes a k3s-style kubeconfig addressed by SNI on a loopback port that is not 6443", () => {
    const cluster = kc.getCurrentCluster();
    expect(cluster?.name).toBe("default");
    expect(cluster?.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cluster?.server.endsWith(":6443")).toBe(false);
    expect(cluster?.tlsServerName).toBe("edge.store-alpha-01.sim.outpost.internal");
    expect(kc.getCurrentUser()?.certData).toBeTruthy();
    expect(kc.getCurrentUser()?.keyData).toBeTruthy();
  });

  it("serves /version with the k3s gitVersion and platform", async () => {
    const version = await kc.makeApiClient(k8s.VersionApi).getCode();
    const spec = sim.runtime("store-alpha-01", "edge").spec;
    expect(version.gitVersion).toBe(spec.k3sVersion);
    expect(version.gitVersion).toMatch(/^v1\.\d+\.\d+\+k3s1$/);
    expect(version.platform).toBe(`linux/${spec.nodes[0]?.arch}`);
  });

  it("answers health endpoints", async () => {
    for (const path of ["/healthz", "/readyz", "/livez"]) {
      const res = await rawGet(path);
      expect(res.status).toBe(200);
      expect(res.json).toBe("ok");
    }
  });

  it("lists API groups and resources the way clients map kinds to paths", async () => {
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining(["apps", "coordination.k8s.io", "metrics.k8s.io", "helm.cattle.io"]),
    );
    const coreResources = await core.getAPIResources();
    const pods = coreResources.resources.find((r) => r.name === "pods");
    expect(pods).toMatchObject({ kind: "Pod", namespaced: true, singularName: "pod", shortNames: ["po"] });
    expect(pods?.verbs).toEqual(
      expect.arrayContaining(["get", "list", "watch", "create", "delete", "patch"]),
    );
    const appsResources = await apps.getAPIResources();
    expect(appsResources.resources.find((r) => r.name === "deployments")?.shortNames).toEqual(["deploy"]);
    const helm = await rawGet("/apis/helm.cattle.io/v1");
    expect((helm.json as { resources: { kind: string }[] }).resources.map((r) => r.kind)).toContain(
      "HelmChart",
    );
    const apiRoot = await rawGet("/api");
    expect((apiRoot.json as { versions: string[] }).versions).toEqual(["v1"]);
  });
});

describe("nodes and leases", () => {
  it("describes nodes like k3s", async () => {
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(3);
    const server = nodes.items[0];
    expect(server?.metadata?.labels?.["node-role.kubernetes.io/control-plane"]).toBe("true");
    expect(server?.metadata?.labels?.["node-role.kubernetes.io/master"]).toBe("true");
    expect(server?.metadata?.labels?.["kubernetes.io/arch"]).toBe("arm64");
    expect(nodes.items[1]?.metadata?.labels?.["node-role.kubernetes.io/control-plane"]).toBeUndefined();
    expect(server?.status?.nodeInfo?.containerRuntimeVersion).toMatch(/^containerd:\/\/1\.7\.\d+-k3s\d$/);
    expect(server?.status?.nodeInfo?.kubeletVersion).toMatch(/\+k3s1$/);
    expect(server?.status?.capacity?.memory).toMatch(/^\d+Ki$/);
    const types = server?.status?.conditions?.map((c) => c.type);
    expect(types).toEqual(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"]);
    const ready = server?.status?.conditions?.find((c) => c.type === "Ready");
    expect(ready?.status).toBe("True");
    expect(ready?.lastHeartbeatTime).toBeInstanceOf(Date);
    expect(server?.status?.addresses?.map((a) => a.type)).toEqual(["InternalIP", "Hostname"]);
  });

  it("renews node leases every 10 s without timers", async () => {
    const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
    const leases = await coordination.listNamespacedLease({ namespace: "kube-node-lease" });
    expect(leases.items.map((l) => l.metadata?.name).sort()).toEqual(["pi-01", "pi-02", "pi-03"]);
    for (const lease of leases.items) {
      const renew = new Date(lease.spec?.renewTime as unknown as string).getTime();
      expect(Date.now() - renew).toBeLessThanOrEqual(10_500);
      expect(Date.now() - renew).toBeGreaterThanOrEqual(-500);
      expect(lease.spec?.leaseDurationSeconds).toBe(40);
    }
  });

  it("serves metrics.k8s.io usage", async () => {
    const nodeMetrics = await rawGet("/apis/metrics.k8s.io/v1beta1/nodes");
    const items = (nodeMetrics.json as { items: { usage: { cpu: string; memory: string } }[] }).items;
    expect(items).toHaveLength(3);
    expect(items[0]?.usage.cpu).toMatch(/^\d+m$/);
    expect(items[0]?.usage.memory).toMatch(/^\d+Mi$/);
    const metrics = new k8s.Metrics(kc);
    const pods = await metrics.getPodMetrics("kube-system");
    expect(pods.items.length).toBeGreaterThan(3);
    expect(pods.items[0]?.containers[0]?.usage.cpu).toMatch(/^\d+m$/);
  });
});

describe("list", () => {
  it("has k3s built-ins", async () => {
    const deployments = await apps.listNamespacedDeployment({ namespace: "kube-system" });
    expect(deployments.items.map((d) => d.metadata?.name)).toEqual([
      "coredns",
      "local-path-provisioner",
      "metrics-server",
      "traefik",
    ]);
    const charts = (await kc.makeApiClient(k8s.CustomObjectsApi).listNamespacedCustomObject({
      group: "helm.cattle.io",
      version: "v1",
      namespace: "kube-system",
      plural: "helmcharts",
    })) as { items: { metadata: { name: string } }[] };
    expect(charts.items.map((c) => c.metadata.name)).toEqual(["traefik", "traefik-crd"]);
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(["default", "kube-system", "kube-node-lease", "kube-public"]),
    );
  });

  it("filters by label selectors (=, !=, in, notin, exists, !exists)", async () => {
    const names = async (labelSelector: string) =>
      (await core.listPodForAllNamespaces({ labelSelector })).items.map((p) => p.metadata?.name ?? "");
    const coredns = await names("k8s-app=kube-dns");
    expect(coredns).toHaveLength(1);
    expect(coredns[0]).toMatch(/^coredns-/);
    const notDns = await names("k8s-app!=kube-dns");
    expect(notDns.some((n) => n.startsWith("coredns-"))).toBe(false);
    expect(notDns.length).toBeGreaterThan(3);
    expect(await names("k8s-app in (kube-dns,metrics-server)")).toHaveLength(2);
    const notIn = await names("k8s-app notin (kube-dns)");
    expect(notIn.some((n) => n.startsWith("metrics-server-"))).toBe(true);
    expect(notIn.some((n) => n.startsWith("coredns-"))).toBe(false);
    const withApp = await names("app");
    expect(withApp.every((n) => !n.startsWith("coredns-"))).toBe(true);
    const withoutApp = await names("!app");
    expect(withoutApp.some((n) => n.startsWith("coredns-"))).toBe(true);
    expect(withApp.length + withoutApp.length).toBe((await names("")).length);
  });

  it("filters by field selectors and rejects unsupported fields", async () => {
    const onNode = await core.listPodForAllNamespaces({ fieldSelector: "spec.nodeName=pi-02" });
    expect(onNode.items.length).toBeGreaterThan(0);
    expect(onNode.items.every((p) => p.spec?.nodeName === "pi-02")).toBe(true);
    const running = await core.listPodForAllNamespaces({
      fieldSelector: "status.phase=Running,metadata.namespace=kube-system",
    });
    expect(
      running.items.every((p) => p.metadata?.namespace === "kube-system" && p.status?.phase === "Running"),
    ).toBe(true);
    const byName = await core.listNode({ fieldSelector: "metadata.name=pi-03" });
    expect(byName.items.map((n) => n.metadata?.name)).toEqual(["pi-03"]);
    const events = await core.listEventForAllNamespaces({
      fieldSelector: "involvedObject.kind=Node,type=Normal",
    });
    expect(events.items.length).toBeGreaterThanOrEqual(3);
    const err = await core
      .listPodForAllNamespaces({ fieldSelector: "spec.bogus=x" })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(400);
    expect(statusBody(err).message).toContain("field label not supported: spec.bogus");
  });

  it("pages with limit/continue and expires old continue tokens with 410", async () => {
    const all = await core.listPodForAllNamespaces();
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listPodForAllNamespaces({ limit: 3, _continue: token });
      seen.push(...page.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
      token = page.metadata?._continue;
      if (token) expect(page.metadata?.remainingItemCount).toBeGreaterThan(0);
      pages++;
    } while (token && pages < 50);
    expect(seen).toEqual(all.items.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`));
    expect(pages).toBe(Math.ceil(all.items.length / 3));

    const first = await core.listNamespacedConfigMap({ namespace: "default", limit: 0 });
    expect(first.metadata?._continue).toBeUndefined();
    const stale = await core.listPodForAllNamespaces({ limit: 1 });
    for (let i = 0; i < 70; i++) {
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: `churn-${i}` }, data: { i: String(i) } },
      });
    }
    const err = await core
      .listPodForAllNamespaces({ limit: 1, _continue: stale.metadata?._continue })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(410);
    expect(statusBody(err).reason).toBe("Expired");
  });
});

describe("writes and Status errors", () => {
  it("creates, reads, updates and deletes with resourceVersion, uid and generation", async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "crud", labels: { a: "1" } }, data: { k: "v" } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    const rv1 = Number(created.metadata?.resourceVersion);
    const read = await core.readNamespacedConfigMap({ name: "crud", namespace: "default" });
    expect(read.data).toEqual({ k: "v" });
    read.data = { k: "v2" };
    const updated = await core.replaceNamespacedConfigMap({ name: "crud", namespace: "default", body: read });
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(rv1);
    const stale = { ...read, data: { k: "stale" } };
    const conflict = await core
      .replaceNamespacedConfigMap({ name: "crud", namespace: "default", body: stale })
      .catch((e: unknown) => e);
    expect(statusOf(conflict)).toBe(409);
    expect(statusBody(conflict).reason).toBe("Conflict");
    const dup = await core
      .createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "crud" } } })
      .catch((e: unknown) => e);
    expect(statusOf(dup)).toBe(409);
    expect(statusBody(dup).reason).toBe("AlreadyExists");
    await core.deleteNamespacedConfigMap({ name: "crud", namespace: "default" });
    const gone = await core
      .readNamespacedConfigMap({ name: "crud", namespace: "default" })
      .catch((e: unknown) => e);
    expect(statusOf(gone)).toBe(404);
    expect(statusBody(gone)).toMatchObject({
      reason: "NotFound",
      code: 404,
      message: 'configmaps "crud" not found',
    });
  });

  it("rejects invalid objects with 422 and causes, and unknown namespaces with 404", async () => {
    const bad = await apps
      .createNamespacedDeployment({
        namespace: "default",
        body: {
          metadata: { name: "Bad_Name" },
          spec: {
            selector: { matchLabels: { a: "b" } },
            template: { metadata: { labels: { a: "c" } }, spec: { containers: [{ name: "x" }] } },
          } as never,
        },
      })
      .catch((e: unknown) => e);
    expect(statusOf(bad)).toBe(422);
    const body = statusBody(bad);
    expect(body.reason).toBe("Invalid");
    expect(body.details?.causes?.map((c) => c.field)).toEqual(
      expect.arrayContaining([
        "metadata.name",
        "spec.template.metadata.labels",
        "spec.template.spec.containers[0].image",
      ]),
    );
    const missingNs = await core
      .createNamespacedConfigMap({ namespace: "nope", body: { metadata: { name: "x" } } })
      .catch((e: unknown) => e);
    expect(statusOf(missingNs)).toBe(404);
    expect(statusBody(missingNs).message).toBe('namespaces "nope" not found');
  });

  it("applies merge, strategic-merge and JSON patches", async () => {
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "patchme" }, data: { a: "1", b: "2" } },
    });
    const merge = await core.patchNamespacedConfigMap(
      { name: "patchme", namespace: "default", body: { data: { a: null, c: "3" } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
    expect(merge.data).toEqual({ b: "2", c: "3" });
    const json = await core.patchNamespacedConfigMap({
      name: "patchme",
      namespace: "default",
      body: [{ op: "replace", path: "/data/b", value: "20" }],
    });
    expect(json.data?.b).toBe("20");
    const node = await core.patchNode(
      { name: "pi-03", body: { metadata: { labels: { zone: "back-office" } } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(node.metadata?.labels?.zone).toBe("back-office");
    expect(node.metadata?.labels?.["kubernetes.io/arch"]).toBe("arm64");
  });

  it("authenticates read-only tokens for reads and forbids their writes with 403", async () => {
    const viewer = kubeConfigFor(sim, "store-alpha-01", "edge", { auth: "read-only-token" });
    const viewerCore = viewer.makeApiClient(k8s.CoreV1Api);
    expect((await viewerCore.listNode()).items).toHaveLength(3);
    const err = await viewerCore
      .deleteNamespacedConfigMap({ name: "kube-root-ca.crt", namespace: "default" })
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(403);
    expect(statusBody(err)).toMatchObject({ reason: "Forbidden", code: 403 });
    expect(statusBody(err).message).toContain('User "sim:viewer" cannot delete resource "configmaps"');
    const admin = kubeConfigFor(sim, "store-alpha-01", "edge", { auth: "admin-token" }).makeApiClient(
      k8s.CoreV1Api,
    );
    const created = await admin.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "by-token" } },
    });
    expect(created.metadata?.name).toBe("by-token");
  });

  it("rejects a client certificate from another cluster's CA and a bad token with 401", async () => {
    const other = kubeConfigFor(sim, "store-beta-01", "edge");
    const alpha = kc.getCurrentCluster();
    const mixed = new k8s.KubeConfig();
    mixed.loadFromOptions({
      clusters: [alpha as k8s.Cluster],
      users: [other.getCurrentUser() as k8s.User],
      contexts: [{ name: "x", cluster: alpha?.name ?? "", user: other.getCurrentUser()?.name ?? "" }],
      currentContext: "x",
    });
    const err = await mixed
      .makeApiClient(k8s.CoreV1Api)
      .listNode()
      .catch((e: unknown) => e);
    expect(statusOf(err)).toBe(401);
    // client-node drops 401 bodies, so read the Status over raw HTTPS
    const raw = await rawGet("/api/v1/nodes", mixed);
    expect(raw.status).toBe(401);
    expect(raw.json).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    const badToken = new k8s.KubeConfig();
    badToken.loadFromOptions({
      clusters: [alpha as k8s.Cluster],
      users: [{ name: "t", token: "sim-admin.not-the-token" }],
      contexts: [{ name: "x", cluster: alpha?.name ?? "", user: "t" }],
      currentContext: "x",
    });
    expect(
      statusOf(
        await badToken
          .makeApiClient(k8s.CoreV1Api)
          .listNode()
          .catch((e: unknown) => e),
      ),
    ).toBe(401);
  });

  it("gives each cluster its own client certificate lifetime", () => {
    const paris = sim.runtime("store-alpha-01", "edge").pki.adminCert.notAfter.getTime();
    expect(paris - Date.now()).toBeGreaterThan(300 * 86_400_000);
  });
});

describe("watch", () => {
  function collect(path: string, query: Record<string, string | number | boolean | undefined>) {
    const events: {
      type: string;
      object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
    }[] = [];
    let error: unknown;
    let isDone = false;
    const controller = new k8s.Watch(kc).watch(
      path,
      query,
      (type, object) => events.push({ type, object }),
      (err) => {
        error = err;
        isDone = true;
      },
    );
    return { events, controller, done: () => isDone, error: () => error };
  }

  it("streams ADDED/MODIFIED/DELETED and resumes from a resourceVersion", async () => {
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    const rv = list.metadata?.resourceVersion;
    const w = collect("/api/v1/namespaces/default/configmaps", {
      resourceVersion: rv,
      labelSelector: "watch=me",
    });
    // No wait for the watch to connect: it starts at `rv`, so changes made before it is
    // open are delivered all the same (as the resumed watch below proves again).
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "w1", labels: { watch: "me" } } },
    });
    await core.createNamespacedConfigMap({ namespace: "default", body: { metadata: { name: "ignored" } } });
    await core.patchNamespacedConfigMap({
      name: "w1",
      namespace: "default",
      body: [{ op: "add", path: "/data", value: { x: "1" } }],
    });
    await core.deleteNamespacedConfigMap({ name: "w1", namespace: "default" });
    await waitFor(() => w.events.length >= 3, 5000);
    expect(w.events.map((e) => `${e.type}:${e.object.metadata?.name}`)).toEqual([
      "ADDED:w1",
      "MODIFIED:w1",
      "DELETED:w1",
    ]);
    (await w.controller).abort();

    const resumed = collect("/api/v1/namespaces/default/configmaps", {
      resourceVersion: rv,
      labelSelector: "watch=me",
    });
    await waitFor(() => resumed.events.length >= 3, 5000);
    expect(resumed.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    (await resumed.controller).abort();
  });

  it("sends initial ADDED events without a resourceVersion and BOOKMARKs when allowed", async () => {
    const w = collect("/api/v1/nodes", { allowWatchBookmarks: true });
    await waitFor(() => w.events.some((e) => e.type === "BOOKMARK"), 5000);
    expect(w.events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata?.name)).toEqual([
      "pi-01",
      "pi-02",
      "pi-03",
    ]);
    const bookmark = w.events.find((e) => e.type === "BOOKMARK");
    expect(Number(bookmark?.object.metadata?.resourceVersion)).toBeGreaterThan(0);
    (await w.controller).abort();
  });

  it("answers a too-old resourceVersion with a 410 Expired ERROR event", async () => {
    const w = collect("/api/v1/namespaces/default/configmaps", { resourceVersion: "1" });
    await waitFor(() => w.events.length > 0 || w.done(), 5000);
    expect(w.events[0]?.type).toBe("ERROR");
    expect(w.events[0]?.object).toMatchObject({ code: 410, reason: "Expired" });
  });
});
