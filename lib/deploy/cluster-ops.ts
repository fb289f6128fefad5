import "server-only";
import type { ClusterClient } from "@/lib/kube/cluster-client";
import { ReachFailure } from "@/lib/kube/cluster-client";
import { type FieldChange, type FieldConflict, fieldDiff } from "./diff";
import { type ObjectHealth, objectHealth } from "./gate";
import { kindInfo, objectPath } from "./kinds";
import { isObject, type JsonObject, type ManifestObject, objectLabel } from "./manifest";
import { classifyStatus, type StatusBody } from "./outcome";
import { isPrunable, type ObjectRef } from "./prune";
import { RESTART_FIELD_MANAGER, RESTARTABLE_KINDS, type RestartSpec, restartPatch } from "./restart";
import { withOutpostLabels } from "./revision";

// What deploys do to one cluster, over the cluster client's write path:
// discovery of the kinds a manifest uses, server-side apply (dry run and real,
// fieldManager=outpost, unknown fields refused), pruning, health reads and
// rollout restarts. Every request has the caller's deadline; "no answer" and
// "the server is in trouble" become Unreachable, which a target waits out.

export const FIELD_MANAGER = "outpost";
const APPLY_CONTENT_TYPE = "application/apply-patch+yaml";

/** The cluster did not answer (or answered 5xx/401/429): wait for the site, do not fail the target. */
export class Unreachable extends Error {}

export interface Resource {
  plural: string;
  namespaced: boolean;
}

/** apiVersion → kind → resource, for the group versions a manifest uses. */
export type Resources = Map<string, Map<string, Resource>>;

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

async function call<T>(
  client: ClusterClient,
  method: string,
  path: string,
  timeoutMs: number,
  extra: { body?: unknown; contentType?: string; query?: Record<string, string | undefined> } = {},
): Promise<{ status: number; body: T | undefined }> {
  try {
    return await client.request<T>(method, path, { timeoutMs, ...extra });
  } catch (err) {
    if (err instanceof ReachFailure) throw new Unreachable(err.reach.message);
    throw err;
  }
}

/** Discovery of just the group versions needed (one request each); a missing one is simply absent. */
export async function discover(
  client: ClusterClient,
  apiVersions: string[],
  timeoutMs: number,
): Promise<Resources> {
  const out: Resources = new Map();
  for (const apiVersion of [...new Set(apiVersions)]) {
    const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await call<ApiResourceList>(client, "GET", path, timeoutMs);
    if (res.status === 404) continue;
    if (res.status !== 200) {
      const outcome = classifyStatus(res.status, res.body as StatusBody, `discovery of ${apiVersion}`);
      if (outcome.kind === "unreachable") throw new Unreachable(outcome.message);
      continue;
    }
    const kinds = new Map<string, Resource>();
    for (const r of res.body?.resources ?? []) {
      if (r.name.includes("/")) continue;
      kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    out.set(apiVersion, kinds);
  }
  return out;
}

export function resourceOf(
  resources: Resources,
  o: Pick<ManifestObject, "apiVersion" | "kind">,
): Resource | undefined {
  return resources.get(o.apiVersion)?.get(o.kind);
}

/** The object as it is sent: Outpost's labels, and the namespace discovery says it needs. */
export function prepared(
  o: ManifestObject,
  resource: Resource,
  deploymentName: string,
): { body: JsonObject; namespace?: string } {
  const body = withOutpostLabels(o.body, deploymentName);
  const metadata = body.metadata as JsonObject;
  const namespace = resource.namespaced ? (o.namespace ?? "default") : undefined;
  if (namespace) metadata.namespace = namespace;
  else delete metadata.namespace;
  return { body, namespace };
}

export type ObjectOutcome = "unchanged" | "changed" | "created" | "conflict" | "error";

export interface ObjectPreview {
  label: string;
  outcome: ObjectOutcome;
  changes: FieldChange[];
  conflicts: FieldConflict[];
  message: string;
}

async function readLive(
  client: ClusterClient,
  path: string,
  timeoutMs: number,
  label: string,
): Promise<{ live: JsonObject | undefined; error?: string }> {
  const res = await call<JsonObject>(client, "GET", path, timeoutMs);
  if (res.status === 404) return { live: undefined };
  if (res.status === 200) return { live: res.body };
  const outcome = classifyStatus(res.status, res.body as StatusBody, label);
  if (outcome.kind === "unreachable") throw new Unreachable(outcome.message);
  return { live: undefined, error: outcome.message };
}

export interface ApplyOptions {
  timeoutMs: number;
  force: boolean;
  deploymentName: string;
}

/**
 * Server-side apply with dryRun=All: what would change (field by field against the live
 * object), what conflicts with another manager, what the API refuses. Objects in a namespace
 * the same manifest creates cannot be dry-run before it exists; they show as created.
 */
export async function previewObject(
  client: ClusterClient,
  resources: Resources,
  o: ManifestObject,
  opts: ApplyOptions & { newNamespaces: ReadonlySet<string> },
): Promise<ObjectPreview> {
  const label = objectLabel(o);
  const resource = resourceOf(resources, o);
  if (!resource)
    return {
      label,
      outcome: "error",
      changes: [],
      conflicts: [],
      message: `this cluster does not serve ${o.apiVersion} ${o.kind}`,
    };
  const { body, namespace } = prepared(o, resource, opts.deploymentName);
  const path = objectPath(o.apiVersion, resource.plural, namespace, o.name);
  if (namespace && opts.newNamespaces.has(namespace)) {
    return {
      label,
      outcome: "created",
      changes: fieldDiff(undefined, body),
      conflicts: [],
      message: `namespace ${namespace} is created by this manifest`,
    };
  }
  const { live, error } = await readLive(client, path, opts.timeoutMs, label);
  if (error) return { label, outcome: "error", changes: [], conflicts: [], message: error };
  const res = await call<JsonObject>(client, "PATCH", path, opts.timeoutMs, {
    body,
    contentType: APPLY_CONTENT_TYPE,
    query: {
      fieldManager: FIELD_MANAGER,
      dryRun: "All",
      fieldValidation: "Strict",
      force: opts.force ? "true" : undefined,
    },
  });
  if (res.status >= 200 && res.status < 300 && res.body) {
    const changes = fieldDiff(live, res.body);
    const outcome: ObjectOutcome = !live ? "created" : changes.length > 0 ? "changed" : "unchanged";
    return { label, outcome, changes, conflicts: [], message: "" };
  }
  const failure = classifyStatus(res.status, res.body as StatusBody, label);
  if (failure.kind === "unreachable") throw new Unreachable(failure.message);
  if (failure.kind === "conflict")
    return {
      label,
      outcome: "conflict",
      changes: [],
      conflicts: failure.conflicts,
      message: failure.message,
    };
  return { label, outcome: "error", changes: [], conflicts: [], message: failure.message };
}

/** Namespaces the manifest creates that the cluster does not have yet. */
export async function namespacesToCreate(
  client: ClusterClient,
  objects: ManifestObject[],
  timeoutMs: number,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== "Namespace" || o.apiVersion !== "v1") continue;
    const { live } = await readLive(
      client,
      objectPath("v1", "namespaces", undefined, o.name),
      timeoutMs,
      objectLabel(o),
    );
    if (!live) out.add(o.name);
  }
  return out;
}

/** The real apply of one object. Resolves with null on success, or the reason it failed. */
export async function applyObject(
  client: ClusterClient,
  resources: Resources,
  o: ManifestObject,
  opts: ApplyOptions,
): Promise<{ kind: "conflict" | "rejected"; message: string; conflicts: FieldConflict[] } | null> {
  const label = objectLabel(o);
  const resource = resourceOf(resources, o);
  if (!resource)
    return {
      kind: "rejected",
      message: `${label}: this cluster does not serve ${o.apiVersion} ${o.kind}`,
      conflicts: [],
    };
  const { body, namespace } = prepared(o, resource, opts.deploymentName);
  const res = await call<StatusBody>(
    client,
    "PATCH",
    objectPath(o.apiVersion, resource.plural, namespace, o.name),
    opts.timeoutMs,
    {
      body,
      contentType: APPLY_CONTENT_TYPE,
      query: {
        fieldManager: FIELD_MANAGER,
        fieldValidation: "Strict",
        force: opts.force ? "true" : undefined,
      },
    },
  );
  if (res.status >= 200 && res.status < 300) return null;
  const failure = classifyStatus(res.status, res.body, label);
  if (failure.kind === "unreachable") throw new Unreachable(failure.message);
  if (failure.kind === "conflict")
    return { kind: "conflict", message: failure.message, conflicts: failure.conflicts };
  return { kind: "rejected", message: failure.message, conflicts: [] };
}

/** Deletes an object the newer revision added, only if Outpost created it for this deployment. */
export async function pruneObject(
  client: ClusterClient,
  resources: Resources,
  ref: ObjectRef,
  opts: { timeoutMs: number; deploymentName: string },
): Promise<"deleted" | "absent" | "not-ours"> {
  const resource =
    resourceOf(resources, ref) ??
    (() => {
      const known = kindInfo(ref.apiVersion, ref.kind);
      return known ? { plural: known.plural, namespaced: known.namespaced } : undefined;
    })();
  if (!resource) return "absent";
  const namespace = resource.namespaced ? (ref.namespace ?? "default") : undefined;
  const path = objectPath(ref.apiVersion, resource.plural, namespace, ref.name);
  const { live } = await readLive(client, path, opts.timeoutMs, objectLabel({ ...ref, namespace }));
  if (!live) return "absent";
  if (!isPrunable(live, opts.deploymentName)) return "not-ours";
  const res = await call(client, "DELETE", path, opts.timeoutMs, {
    body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" },
  });
  if (res.status >= 200 && res.status < 300) return "deleted";
  if (res.status === 404) return "absent";
  const failure = classifyStatus(res.status, res.body as StatusBody, objectLabel({ ...ref, namespace }));
  if (failure.kind === "unreachable") throw new Unreachable(failure.message);
  throw new Error(failure.message);
}

function selectorText(obj: JsonObject): string | undefined {
  const matchLabels =
    isObject(obj.spec) && isObject(obj.spec.selector) && isObject(obj.spec.selector.matchLabels)
      ? obj.spec.selector.matchLabels
      : undefined;
  if (!matchLabels) return undefined;
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
}

/** Reads what the health gate needs for one object: the object, its pods, a HelmChart's Job. */
export async function readHealth(
  client: ClusterClient,
  resource: Resource | undefined,
  ref: ObjectRef,
  timeoutMs: number,
): Promise<ObjectHealth> {
  if (!resource) return { state: "failed", reason: "kind not served by this cluster", failure: "rejected" };
  const namespace = resource.namespaced ? (ref.namespace ?? "default") : undefined;
  const label = objectLabel({ ...ref, namespace });
  const { live, error } = await readLive(
    client,
    objectPath(ref.apiVersion, resource.plural, namespace, ref.name),
    timeoutMs,
    label,
  );
  if (error) return { state: "in-progress", reason: error };
  let pods: JsonObject[] | undefined;
  let job: JsonObject | undefined;
  if (live && namespace && (RESTARTABLE_KINDS as readonly string[]).includes(ref.kind)) {
    const selector = selectorText(live);
    if (selector) {
      const res = await call<{ items?: JsonObject[] }>(
        client,
        "GET",
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        timeoutMs,
        {
          query: { labelSelector: selector },
        },
      );
      if (res.status === 200) pods = res.body?.items ?? [];
    }
  }
  if (live && namespace && ref.kind === "HelmChart") {
    const jobName = isObject(live.status) ? live.status.jobName : undefined;
    if (typeof jobName === "string") {
      const res = await call<JsonObject>(
        client,
        "GET",
        objectPath("batch/v1", "jobs", namespace, jobName),
        timeoutMs,
      );
      if (res.status === 200) job = res.body;
    }
  }
  return objectHealth(ref.kind, { object: live, pods, job });
}

export interface RestartedWorkload {
  kind: (typeof RESTARTABLE_KINDS)[number];
  namespace: string;
  name: string;
}

const WORKLOAD_PLURAL: Record<(typeof RESTARTABLE_KINDS)[number], string> = {
  Deployment: "deployments",
  DaemonSet: "daemonsets",
  StatefulSet: "statefulsets",
};

/** `kubectl rollout restart` for the workloads a restart spec names or selects on this cluster. */
export async function restartWorkloads(
  client: ClusterClient,
  spec: RestartSpec,
  stamp: string,
  timeoutMs: number,
): Promise<{ restarted: RestartedWorkload[]; missing: string[] }> {
  const targets: RestartedWorkload[] = [];
  const missing: string[] = [];
  if (spec.workloads?.length) targets.push(...spec.workloads);
  if (spec.labelSelector) {
    for (const kind of spec.kinds) {
      const base = spec.namespace
        ? `/apis/apps/v1/namespaces/${encodeURIComponent(spec.namespace)}/${WORKLOAD_PLURAL[kind]}`
        : `/apis/apps/v1/${WORKLOAD_PLURAL[kind]}`;
      const res = await call<{ items?: JsonObject[] }>(client, "GET", base, timeoutMs, {
        query: { labelSelector: spec.labelSelector },
      });
      if (res.status !== 200) {
        const outcome = classifyStatus(res.status, res.body as StatusBody, `listing ${kind}s`);
        if (outcome.kind === "unreachable") throw new Unreachable(outcome.message);
        continue;
      }
      for (const item of res.body?.items ?? []) {
        const meta = isObject(item.metadata) ? item.metadata : {};
        targets.push({ kind, namespace: String(meta.namespace ?? ""), name: String(meta.name ?? "") });
      }
    }
  }
  const restarted: RestartedWorkload[] = [];
  for (const w of targets) {
    const res = await call<StatusBody>(
      client,
      "PATCH",
      objectPath("apps/v1", WORKLOAD_PLURAL[w.kind], w.namespace, w.name),
      timeoutMs,
      {
        body: restartPatch(stamp),
        contentType: "application/strategic-merge-patch+json",
        query: { fieldManager: RESTART_FIELD_MANAGER },
      },
    );
    if (res.status >= 200 && res.status < 300) restarted.push(w);
    else if (res.status === 404) missing.push(`${w.kind} ${w.namespace}/${w.name}`);
    else {
      const outcome = classifyStatus(res.status, res.body, `${w.kind} ${w.namespace}/${w.name}`);
      if (outcome.kind === "unreachable") throw new Unreachable(outcome.message);
      throw new Error(outcome.message);
    }
  }
  return { restarted, missing };
}

export { WORKLOAD_PLURAL };
