// Kubernetes fidelity the deploy feature relies on, checked with client-node's
// generic KubernetesObjectApi (discovery-driven, as kubectl-like tools work) and
// raw requests where a standard client sends headers client-node has no call for.
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimulatorHandle, startSimulator } from "./simulator";
import { kubeConfigFor, rawRequest, smallFleet, statusBody, statusOf, waitFor } from "./testing";

let sim: SimulatorHandle;
let kc: k8s.KubeConfig;
let objects: k8s.KubernetesObjectApi;
let core: k8s.CoreV1Api;

const SITE = "store-alpha-01";
const TABLE =
  "application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json";

beforeAll(async () => {
  sim = await startSimulator({ fleet: smallFleet(), podStartMs: 150, deadlineScale: 0.002, tickMs: 50 });
  kc = kubeConfigFor(sim, SITE, "edge");
  objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(k8s.CoreV1Api);
});

afterAll(async () => {
  await sim.stop();
});

type Obj = k8s.KubernetesObject & { spec?: Record<string, unknown>; data?: Record<string, string> };

function deployment(
  name: string,
  image = "nginx:1.27",
  replicas = 2,
  extra: Record<string, unknown> = {},
): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
      ...extra,
    },
  };
}

function daemonSet(name: string, image: string): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "agent", image }] } },
    },
  };
}

const apply = (o: Obj, opts: { dryRun?: boolean; force?: boolean; manager?: string } = {}) =>
  objects.patch(
    o,
    undefined,
    opts.dryRun ? "All" : undefined,
    opts.manager ?? "outpost",
    opts.force,
    k8s.PatchStrategy.ServerSideApply,
  ) as Promise<Obj>;

const read = (o: Obj) => objects.read(o as never) as Promise<Obj>;
const missing = async (o: Obj) => statusOf(await read(o).catch((e: unknown) => e)) === 404;

/** Applies and waits until the controller stops writing status, so resourceVersions hold still. */
async function settled(o: Obj): Promise<Obj> {
  await apply(o);
  return waitFor(async () => {
    const d = (await read(o)) as Obj & {
      status?: { availableReplicas?: number; observedGeneration?: number };
    };
    return d.status?.availableReplicas === o.spec?.replicas &&
      d.status?.observedGeneration === d.metadata?.generation
      ? d
      : undefined;
  });
}

async function pods(labelSelector: string) {
  return (await core.listNamespacedPod({ namespace: "default", labelSelector })).items;
}

describe("dryRun=All on every write", () => {
  it("create, apply-create, update, patch, apply-update, delete and deletecollection persist nothing", async () => {
    const dry = deployment("dry-create");
    const created = (await objects.create(dry, undefined, "All")) as Obj;
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.resourceVersion).toBeUndefined();
    expect(await missing(dry)).toBe(true);

    const planned = await apply(deployment("dry-apply"), { dryRun: true });
    expect(planned.metadata?.generation).toBe(1);
    expect(planned.spec?.template).toMatchObject({
      spec: { containers: [{ imagePullPolicy: "IfNotPresent" }] },
    });
    expect(await missing(deployment("dry-apply"))).toBe(true);

    const live = await settled(deployment("dry-live"));
    const rv = live.metadata?.resourceVersion;
    const replaced = (await objects.replace(
      { ...live, spec: { ...live.spec, replicas: 5 } },
      undefined,
      "All",
    )) as Obj;
    expect(replaced.spec?.replicas).toBe(5);
    const merged = (await objects.patch(
      { ...deployment("dry-live"), spec: { replicas: 4 } } as Obj,
      undefined,
      "All",
      undefined,
      undefined,
      k8s.PatchStrategy.MergePatch,
    )) as Obj;
    expect(merged.spec?.replicas).toBe(4);
    const applied = await apply(deployment("dry-live", "nginx:1.28"), { dryRun: true });
    expect(JSON.stringify(applied.spec)).toContain("nginx:1.28");
    await objects.delete(deployment("dry-live"), undefined, "All");
    const collection = await rawRequest(
      kc,
      "/apis/apps/v1/namespaces/default/deployments?dryRun=All&labelSelector=app%3Ddry-live",
      {
        method: "DELETE",
      },
    );
    expect(collection.status).toBe(200);
    const after = await read(deployment("dry-live"));
    expect(after.metadata?.resourceVersion).toBe(rv);
    expect(after.spec?.replicas).toBe(2);
    expect(JSON.stringify(after.spec)).toContain("nginx:1.27");
  });

  it("validates and refuses in a dry run exactly like a real write", async () => {
    const err = await apply(deployment("-bad-name"), { dryRun: true }).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(422);
    expect(statusBody(err).details?.causes?.[0]?.field).toBe("metadata.name");
    const wrongValue = await rawRequest(kc, "/apis/apps/v1/namespaces/default/deployments?dryRun=Yes", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(deployment("x")),
    });
    expect(wrongValue.status).toBe(400);
  });
});

describe("server-side apply", () => {
  it("is idempotent: re-applying the same object changes neither resourceVersion nor managedFields", async () => {
    const first = await settled(deployment("idem"));
    const second = await apply(deployment("idem"));
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(second.metadata?.managedFields).toEqual(first.metadata?.managedFields);
    expect(second.metadata?.generation).toBe(1);
    const dry = await apply(deployment("idem"), { dryRun: true });
    expect(dry.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });

  it("answers a conflict with an Update manager as 409 with FieldManagerConflict causes naming it", async () => {
    await apply(deployment("owned"));
    // What `kubectl scale` or an HPA does: an Update that takes spec.replicas.
    await rawRequest(kc, "/apis/apps/v1/namespaces/default/deployments/owned?fieldManager=kubectl-scale", {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      body: JSON.stringify({ spec: { replicas: 7 } }),
    });
    const err = await apply(deployment("owned", "nginx:1.27", 3)).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(409);
    const body = statusBody(err);
    expect(body.reason).toBe("Conflict");
    expect(body.details?.causes).toEqual([
      {
        reason: "FieldManagerConflict",
        message: 'conflict with "kubectl-scale" using apps/v1',
        field: ".spec.replicas",
      },
    ]);
    const dryConflict = await apply(deployment("owned", "nginx:1.27", 3), { dryRun: true }).catch(
      (e: unknown) => e,
    );
    expect(statusOf(dryConflict)).toBe(409);
    const forced = await apply(deployment("owned", "nginx:1.27", 3), { force: true });
    expect(forced.spec?.replicas).toBe(3);
  });

  it("removes fields the manager stops applying (so a rollback can shrink an object)", async () => {
    await apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { a: "1", b: "2" },
    } as Obj);
    const next = await apply({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cfg", namespace: "default" },
      data: { a: "1" },
    } as Obj);
    expect(next.data).toEqual({ a: "1" });
  });
});

describe("field validation and 422 Invalid", () => {
  it("drops unknown fields with a Warning header, refuses them with fieldValidation=Strict", async () => {
    const typo = deployment("typo", "nginx:1.27", 1, { replica: 3 });
    const warned = await rawRequest(
      kc,
      "/apis/apps/v1/namespaces/default/deployments?fieldManager=outpost&dryRun=All",
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(typo),
      },
    );
    expect(warned.status).toBe(201);
    expect(warned.headers.get("warning")).toContain('unknown field \\"spec.replica\\"');
    expect((warned.json as Obj).spec?.replica).toBeUndefined();
    const strict = await rawRequest(
      kc,
      "/apis/apps/v1/namespaces/default/deployments/typo?fieldManager=outpost&dryRun=All&fieldValidation=Strict",
      {
        method: "PATCH",
        headers: { "content-type": "application/apply-patch+yaml" },
        body: JSON.stringify(typo),
      },
    );
    expect(strict.status).toBe(400);
    expect((strict.json as { message: string }).message).toContain(
      ".spec.replica: field not declared in schema",
    );
  });

  it("refuses wrong types with a decoding error naming the field", async () => {
    const err = await apply(deployment("typed", "nginx:1.27", "three" as unknown as number)).catch(
      (e: unknown) => e,
    );
    expect(statusOf(err)).toBe(400);
    expect(statusBody(err).message).toContain("spec.replicas of type int32");
  });

  it("returns one cause per bad field", async () => {
    const bad = deployment("invalid-one", "", 1);
    const template = bad.spec?.template as {
      metadata: { labels: Record<string, string> };
      spec: { containers: Record<string, unknown>[] };
    };
    template.spec.containers = [{ name: "Bad_Name", image: "", ports: [{ containerPort: 70000 }] }];
    bad.metadata = { ...bad.metadata, labels: { "bad label": "x" } };
    const err = await apply(bad).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(422);
    const fields = statusBody(err).details?.causes?.map((c) => c.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        "metadata.labels",
        "spec.template.spec.containers[0].name",
        "spec.template.spec.containers[0].image",
        "spec.template.spec.containers[0].ports[0].containerPort",
      ]),
    );
    const svc = await apply({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "noports", namespace: "default" },
      spec: { selector: { app: "x" } },
    } as Obj).catch((e: unknown) => e);
    expect(statusOf(svc)).toBe(422);
    expect(statusBody(svc).details?.causes?.[0]?.field).toBe("spec.ports");
  });

  it("keeps a Deployment's selector immutable", async () => {
    await apply(deployment("immutable"));
    const changed = deployment("immutable");
    (changed.spec as { selector: unknown }).selector = { matchLabels: { app: "immutable", tier: "web" } };
    (
      changed.spec as { template: { metadata: { labels: Record<string, string> } } }
    ).template.metadata.labels.tier = "web";
    const err = await apply(changed).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(422);
    expect(statusBody(err).message).toContain("field is immutable");
  });
});

describe("Secrets", () => {
  it("stores stringData as base64 data and refuses data that is not base64", async () => {
    const secret = await apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "pos-token", namespace: "default" },
      stringData: { token: "s3cret" },
    } as Obj);
    expect((secret as Obj & { type?: string }).type).toBe("Opaque");
    expect(secret.data).toEqual({ token: Buffer.from("s3cret").toString("base64") });
    const err = await apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "bad", namespace: "default" },
      data: { token: "not base64!" },
    } as Obj).catch((e: unknown) => e);
    expect(statusOf(err)).toBe(400);
  });
});

describe("OpenAPI documents", () => {
  it("serves v2 with a definition carrying x-kubernetes-group-version-kind for every served kind", async () => {
    const res = await rawRequest(kc, "/openapi/v2", { headers: { accept: "application/json" } });
    expect(res.status).toBe(200);
    const doc = res.json as {
      swagger: string;
      definitions: Record<
        string,
        { "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[] }
      >;
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.swagger).toBe("2.0");
    const kinds = Object.values(doc.definitions).flatMap((d) =>
      (d["x-kubernetes-group-version-kind"] ?? []).map((g) => `${g.group}/${g.version}/${g.kind}`),
    );
    for (const resource of (await core.getAPIResources()).resources.filter((r) => !r.name.includes("/"))) {
      expect(kinds).toContain(`/v1/${resource.kind}`);
    }
    expect(kinds).toEqual(
      expect.arrayContaining([
        "apps/v1/Deployment",
        "apps/v1/DaemonSetList",
        "helm.cattle.io/v1/HelmChart",
        "rbac.authorization.k8s.io/v1/ClusterRole",
      ]),
    );
    expect(doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch?.operationId).toBe(
      "patchAppsV1NamespacedDeployment",
    );
    const protobufOnly = await rawRequest(kc, "/openapi/v2", {
      headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" },
    });
    expect(protobufOnly.status).toBe(406);
  });

  it("serves v3 per group version, addressed by content hash, and a client can validate a manifest with it", async () => {
    const index = (await rawRequest(kc, "/openapi/v3")).json as {
      paths: Record<string, { serverRelativeURL: string }>;
    };
    expect(Object.keys(index.paths)).toEqual(
      expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/helm.cattle.io/v1", "apis/batch/v1"]),
    );
    const url = index.paths["apis/apps/v1"]?.serverRelativeURL ?? "";
    expect(url).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    const res = await rawRequest(kc, url);
    expect(res.headers.get("cache-control")).toContain("immutable");
    const doc = res.json as { openapi: string; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.0.0");
    const stale = await rawRequest(kc, "/openapi/v3/apis/apps/v1?hash=0000");
    expect(stale.status).toBe(301);
    expect(
      new URL(stale.headers.get("location") ?? "", "https://x").pathname +
        new URL(stale.headers.get("location") ?? "", "https://x").search,
    ).toBe(url);

    // What kubectl's client-side validation does with the document: walk the object through the schema.
    const schemas = doc.components.schemas;
    type S = {
      $ref?: string;
      properties?: Record<string, S>;
      items?: S;
      additionalProperties?: S;
      "x-kubernetes-preserve-unknown-fields"?: boolean;
    };
    const unknown = (schema: S | undefined, value: unknown, path: string): string[] => {
      let s = schema;
      while (s?.$ref) s = schemas[s.$ref.replace("#/components/schemas/", "")] as S;
      if (!s || s["x-kubernetes-preserve-unknown-fields"] || value === null || typeof value !== "object")
        return [];
      if (Array.isArray(value)) return value.flatMap((v, i) => unknown(s?.items, v, `${path}[${i}]`));
      if (s.additionalProperties)
        return Object.entries(value).flatMap(([k, v]) => unknown(s?.additionalProperties, v, `${path}.${k}`));
      return Object.entries(value).flatMap(([k, v]) =>
        s?.properties?.[k] ? unknown(s.properties[k], v, `${path}.${k}`) : [`${path}.${k}`],
      );
    };
    const root = { $ref: "#/components/schemas/io.k8s.api.apps.v1.Deployment" };
    expect(unknown(root, deployment("valid"), "")).toEqual([]);
    const typo = deployment("typo");
    (
      typo.spec as { template: { spec: { containers: Record<string, unknown>[] } } }
    ).template.spec.containers[0] = { name: "app", imagee: "x" };
    expect(unknown(root, typo, "")).toEqual([".spec.template.spec.containers[0].imagee"]);
  });
});

describe("Table responses", () => {
  it("lists nodes with kubectl's columns", async () => {
    const res = await rawRequest(kc, "/api/v1/nodes", { headers: { accept: TABLE } });
    expect(res.status).toBe(200);
    const table = res.json as {
      kind: string;
      columnDefinitions: { name: string; priority: number }[];
      rows: { cells: unknown[]; object: { kind: string; metadata: { name: string } } }[];
    };
    expect(table.kind).toBe("Table");
    expect(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual([
      "Name",
      "Status",
      "Roles",
      "Age",
      "Version",
    ]);
    const [first] = table.rows;
    expect(first?.cells[0]).toBe("pi-01");
    expect(first?.cells[1]).toBe("Ready");
    expect(String(first?.cells[2])).toContain("control-plane");
    expect(first?.cells[3]).toMatch(/^\d+d$/);
    expect(first?.cells[4]).toMatch(/\+k3s1$/);
    expect(first?.object.kind).toBe("PartialObjectMetadata");
  });

  it("shows pod STATUS reasons and deployment READY counts, pages with continue, and answers 406 to what it cannot serve", async () => {
    await apply(deployment("table-app", "nginx:1.27", 1));
    await waitFor(async () => (await pods("app=table-app")).some((p) => p.status?.phase === "Running"));
    const podTable = (
      await rawRequest(kc, "/api/v1/namespaces/default/pods?labelSelector=app%3Dtable-app", {
        headers: { accept: TABLE },
      })
    ).json as { rows: { cells: unknown[] }[] };
    expect(podTable.rows[0]?.cells.slice(1, 3)).toEqual(["1/1", "Running"]);
    const deployTable = (
      await rawRequest(kc, "/apis/apps/v1/namespaces/default/deployments/table-app", {
        headers: { accept: TABLE },
      })
    ).json as { rows: { cells: unknown[] }[] };
    expect(deployTable.rows[0]?.cells.slice(0, 4)).toEqual(["table-app", "1/1", 1, 1]);
    const paged = (
      await rawRequest(kc, "/api/v1/namespaces/kube-system/pods?limit=2", { headers: { accept: TABLE } })
    ).json as { rows: unknown[]; metadata: { continue?: string } };
    expect(paged.rows).toHaveLength(2);
    expect(paged.metadata.continue).toBeTruthy();
    const watched = await rawRequest(
      kc,
      "/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1&labelSelector=app%3Dtable-app",
      {
        headers: { accept: TABLE },
      },
    );
    const events = watched.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; object: { kind: string; rows: unknown[] } });
    expect(events[0]).toMatchObject({ type: "ADDED", object: { kind: "Table" } });
    expect(events[0]?.object.rows).toHaveLength(1);
    const none = await rawRequest(kc, "/api/v1/pods", {
      headers: { accept: "application/json;as=Table;v=v2;g=meta.k8s.io" },
    });
    expect(none.status).toBe(406);
  });
});

describe("HelmChart (helm.cattle.io/v1)", () => {
  it("is a CRD k3s installs; applying a chart runs a helm-install Job and the chart's status names it", async () => {
    const crds = await objects.list("apiextensions.k8s.io/v1", "CustomResourceDefinition");
    expect(crds.items.map((c) => c.metadata?.name)).toContain("helmcharts.helm.cattle.io");
    const chart = {
      apiVersion: "helm.cattle.io/v1",
      kind: "HelmChart",
      metadata: { name: "pos-ui", namespace: "kube-system" },
      spec: { chart: "pos-ui", repo: "https://charts.example.com", version: "1.2.0", targetNamespace: "pos" },
    } as Obj;
    const created = await apply(chart);
    expect(created.metadata?.generation).toBe(1);
    const done = await waitFor(async () => {
      const c = (await read(chart)) as Obj & { status?: { jobName?: string } };
      const job = c.status?.jobName
        ? await objects.read({
            apiVersion: "batch/v1",
            kind: "Job",
            metadata: { name: c.status.jobName, namespace: "kube-system" },
          } as never)
        : undefined;
      return (job as { status?: { succeeded?: number } } | undefined)?.status?.succeeded === 1
        ? c
        : undefined;
    });
    expect((done as { status: { jobName: string } }).status.jobName).toBe("helm-install-pos-ui");
    const broken = await apply({
      ...chart,
      metadata: { name: "broken-ui", namespace: "kube-system" },
      spec: { chart: "pos-ui", version: "0.0.0-broken" },
    } as Obj);
    expect(broken.metadata?.name).toBe("broken-ui");
    const failed = await waitFor(async () => {
      const c = (await read({
        ...chart,
        metadata: { name: "broken-ui", namespace: "kube-system" },
      })) as Obj & { status?: { conditions?: { type: string; status: string }[] } };
      return c.status?.conditions?.find((x) => x.type === "Failed" && x.status === "True");
    });
    expect(failed).toBeTruthy();
    const strategic = await rawRequest(
      kc,
      "/apis/helm.cattle.io/v1/namespaces/kube-system/helmcharts/pos-ui",
      {
        method: "PATCH",
        headers: { "content-type": "application/strategic-merge-patch+json" },
        body: "{}",
      },
    );
    expect(strategic.status).toBe(415);
  });
});

describe("workload progress", () => {
  it("progresses Deployment status at the configured pod start delay (per cluster, by fault)", async () => {
    const fault = sim.faults.add({
      type: "pod-start-delay",
      site: SITE,
      cluster: "edge",
      params: { ms: 800 },
    });
    try {
      const started = Date.now();
      await apply(deployment("slow", "nginx:1.27", 2));
      const early = await read(deployment("slow"));
      expect(
        (early as { status?: { readyReplicas?: number; updatedReplicas?: number } }).status?.readyReplicas ??
          0,
      ).toBe(0);
      const done = await waitFor(async () => {
        const d = (await read(deployment("slow"))) as {
          status?: { availableReplicas?: number; observedGeneration?: number };
        };
        return d.status?.availableReplicas === 2 ? d : undefined;
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(750);
      expect(done.status?.observedGeneration).toBe(1);
    } finally {
      sim.faults.remove(fault.id);
    }
  });

  it("rolls a DaemonSet one node at a time with new pod names, and a rollout restart replaces every pod", async () => {
    await apply(daemonSet("agent", "telegraf:1.32"));
    const ready = async (min: number) => {
      const d = (await read(daemonSet("agent", ""))) as {
        status?: { numberReady?: number; updatedNumberScheduled?: number; desiredNumberScheduled?: number };
      };
      return (d.status?.numberReady ?? 0) >= min &&
        d.status?.updatedNumberScheduled === d.status?.desiredNumberScheduled
        ? d
        : undefined;
    };
    const first = await waitFor(() => ready(3));
    expect(first.status?.desiredNumberScheduled).toBe(3);
    const before = (await pods("app=agent")).map((p) => p.metadata?.name);
    const restart = daemonSet("agent", "telegraf:1.32");
    (
      restart.spec as { template: { metadata: { annotations?: Record<string, string> } } }
    ).template.metadata.annotations = {
      "kubectl.kubernetes.io/restartedAt": new Date().toISOString(),
    };
    await apply(restart);
    let maxUnavailable = 0;
    const replaced = await waitFor(
      async () => {
        const list = await pods("app=agent");
        const readyCount = list.filter((p) =>
          p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
        ).length;
        maxUnavailable = Math.max(maxUnavailable, 3 - readyCount);
        const fresh = list.filter((p) => !before.includes(p.metadata?.name));
        return fresh.length === 3 && readyCount === 3 ? list : undefined;
      },
      10_000,
      20,
    );
    expect(replaced.every((p) => p.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"])).toBe(true);
    expect(maxUnavailable).toBeLessThanOrEqual(1);
    expect(new Set(replaced.map((p) => p.spec?.nodeName)).size).toBe(3);
  });

  it("fails :broken images with ImagePullBackOff and :crash images with CrashLoopBackOff", async () => {
    await apply(daemonSet("broken-agent", "telegraf:broken"));
    await apply(deployment("crasher", "registry.example/app:crash", 1));
    const pulled = await waitFor(async () => {
      const list = await pods("app=broken-agent");
      return list.length === 3 &&
        list.every((p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff")
        ? list
        : undefined;
    });
    expect(pulled[0]?.status?.containerStatuses?.[0]?.state?.waiting?.message).toContain("telegraf:broken");
    const crashing = await waitFor(async () => {
      const [p] = await pods("app=crasher");
      return p?.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff" ? p : undefined;
    });
    expect(crashing.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThanOrEqual(1);
    expect(crashing.status?.containerStatuses?.[0]?.lastState?.terminated?.exitCode).toBe(1);
  });

  it("restarts a StatefulSet from the highest ordinal down", async () => {
    const sts = (stamp?: string): Obj => ({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db", namespace: "default" },
      spec: {
        replicas: 2,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: {
          metadata: {
            labels: { app: "db" },
            ...(stamp ? { annotations: { "kubectl.kubernetes.io/restartedAt": stamp } } : {}),
          },
          spec: { containers: [{ name: "db", image: "postgres:16" }] },
        },
      },
    });
    await apply(sts());
    await waitFor(
      async () =>
        ((await read(sts())) as { status?: { readyReplicas?: number } }).status?.readyReplicas === 2,
    );
    const uids = new Map((await pods("app=db")).map((p) => [p.metadata?.name, p.metadata?.uid]));
    await apply(sts(new Date().toISOString()));
    const firstReplaced = await waitFor(
      async () => {
        const list = await pods("app=db");
        const changed = list
          .filter((p) => uids.get(p.metadata?.name) !== p.metadata?.uid)
          .map((p) => p.metadata?.name);
        return changed.length > 0 ? changed : undefined;
      },
      10_000,
      20,
    );
    expect(firstReplaced).toEqual(["db-1"]);
    const done = await waitFor(async () => {
      const s = (await read(sts())) as {
        status?: {
          updatedReplicas?: number;
          readyReplicas?: number;
          currentRevision?: string;
          updateRevision?: string;
        };
      };
      return s.status?.updatedReplicas === 2 && s.status.readyReplicas === 2 ? s : undefined;
    });
    expect(done.status?.currentRevision).toBe(done.status?.updateRevision);
  });
});

describe("discovery", () => {
  it("serves the kinds a deploy manifest may hold", async () => {
    for (const [apiVersion, kind] of [
      ["v1", "Secret"],
      ["v1", "ServiceAccount"],
      ["batch/v1", "Job"],
      ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
      ["rbac.authorization.k8s.io/v1", "Role"],
    ] as const) {
      const list = await objects.list(
        apiVersion,
        kind,
        kind === "ClusterRoleBinding" ? undefined : "default",
      );
      expect(list.items).toBeInstanceOf(Array);
    }
    const unknown = await rawRequest(kc, "/apis/networking.k8s.io/v1");
    expect(unknown.status).toBe(404);
  });
});
