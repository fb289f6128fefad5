// The write verbs of the simulated apiserver: create, update, patch (merge,
// strategic, JSON, server-side apply), delete. Every write runs the same
// admission chain as the apiserver (decode and field validation → defaulting →
// validation), honours dryRun=All, and answers no-op writes without a new version.
import { randomUUID } from "node:crypto";
import { parse as parseYaml } from "yaml";
import type { ClusterRuntime } from "../cluster";
import { applyDefaults } from "./defaults";
import { ApiError, alreadyExists, badRequest, conflict, invalid } from "./errors";
import { JOBS } from "./jobs";
import { jsonMergePatch, jsonPatch, recordUpdate, serverSideApply, strategicMergePatch } from "./patch";
import {
  type ApiContext,
  asListItem,
  getOrThrow,
  listKind,
  presentOne,
  type Route,
  scaleOf,
  selectorsOf,
  warningHeaders,
} from "./request";
import { apiVersionOf, RESOURCES, type ResourceDef, resourceKey } from "./resources";
import { matchesWatcher } from "./store";
import { clone, isoTime, isRecord, type JsonRecord, type K8sObject } from "./types";
import { checkObjectFields, fieldValidationOf, normalizeSecret, validateObject } from "./validation";
import { NODES, PODS, REPLICASETS } from "./workloads";

const CONTROLLER_STATUS = new Set([
  "pods",
  "deployments",
  "daemonsets",
  "statefulsets",
  "replicasets",
  "jobs",
]);

function parseBody(ctx: ApiContext, isYamlAllowed = false): JsonRecord {
  const text = ctx.body.toString("utf8");
  if (!text.trim())
    throw badRequest(
      "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
  let value: unknown;
  try {
    value = isYamlAllowed ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw badRequest(`error decoding request body: ${(err as Error).message}`);
  }
  return value as JsonRecord;
}

function managerOf(ctx: ApiContext): string {
  const explicit = ctx.url.searchParams.get("fieldManager");
  if (explicit) return explicit;
  const agent = ctx.req.headers["user-agent"] ?? "unknown";
  return agent.split("/")[0] || "unknown";
}

function isDryRun(ctx: ApiContext): boolean {
  const dry = ctx.url.searchParams.getAll("dryRun");
  if (dry.some((d) => d !== "All")) throw badRequest(`Invalid dry run value: ${dry.join(",")}`);
  return dry.length > 0;
}

function checkIdentity(route: Route, obj: JsonRecord): K8sObject {
  if (!isRecord(obj)) throw badRequest("the request body must be an object");
  const expectedVersion = apiVersionOf(route.def);
  if (obj.kind === undefined) obj.kind = route.def.kind;
  if (obj.apiVersion === undefined) obj.apiVersion = expectedVersion;
  if (obj.kind !== route.def.kind || obj.apiVersion !== expectedVersion) {
    throw badRequest(
      `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expectedVersion})`,
    );
  }
  const metadata = (isRecord(obj.metadata) ? obj.metadata : {}) as JsonRecord;
  obj.metadata = metadata;
  if (route.def.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== route.namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    metadata.namespace = route.namespace;
  } else {
    delete metadata.namespace;
  }
  if (route.name && metadata.name !== undefined && metadata.name !== route.name) {
    throw badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${route.name})`,
    );
  }
  if (route.name) metadata.name = route.name;
  return obj as K8sObject;
}

/** Decoding: field validation against the schema; dropped unknown fields become Warning headers. */
function decode(ctx: ApiContext, route: Route, obj: JsonRecord, isApply = false): void {
  const mode = fieldValidationOf(ctx.url.searchParams.get("fieldValidation"));
  const warnings = checkObjectFields(route.def, obj, mode, isApply);
  if (warnings.length > 0) ctx.warnings = [...(ctx.warnings ?? []), ...warnings];
}

/** Admission after the object is assembled: Secret data, defaulting, then validation. */
function admit(def: ResourceDef, obj: K8sObject, before: K8sObject | undefined): void {
  normalizeSecret(def, obj);
  applyDefaults(obj, { isCreate: before === undefined });
  validateObject(def, obj, before);
}

/** What a dry-run create returns: server-assigned identity, nothing persisted (no resourceVersion). */
function dryRunCreated(def: ResourceDef, obj: K8sObject, time: string): K8sObject {
  const out = clone(obj);
  out.metadata.uid = randomUUID();
  out.metadata.creationTimestamp = time;
  if (def.hasGeneration) out.metadata.generation = 1;
  return out;
}

/** Equal apart from managedFields timestamps: a no-op write, which the apiserver does not persist. */
function isNoOp(before: K8sObject, next: K8sObject): boolean {
  const strip = (o: K8sObject) =>
    JSON.stringify({
      ...o,
      metadata: {
        ...o.metadata,
        managedFields: (o.metadata.managedFields ?? []).map(({ time: _t, ...rest }) => rest),
      },
    });
  return strip(before) === strip(next);
}

function stripServerFields(obj: K8sObject): void {
  for (const f of [
    "uid",
    "resourceVersion",
    "creationTimestamp",
    "deletionTimestamp",
    "generation",
    "managedFields",
  ] as const)
    delete obj.metadata[f];
}

export function createObject(ctx: ApiContext, route: Route): K8sObject {
  if (route.name)
    throw new ApiError(
      405,
      "MethodNotAllowed",
      "the server does not allow this method on the requested resource",
    );
  const obj = checkIdentity(route, parseBody(ctx, true));
  decode(ctx, route, obj);
  stripServerFields(obj);
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = `${obj.metadata.generateName}${ctx.runtime.workloads.rng.hex(5)}`;
  admit(route.def, obj, undefined);
  const store = ctx.runtime.store;
  if (store.get(route.def, route.namespace, obj.metadata.name))
    throw alreadyExists(route.def, obj.metadata.name);
  if (CONTROLLER_STATUS.has(route.def.name))
    obj.status = route.def.name === "pods" ? { phase: "Pending", qosClass: "BestEffort" } : {};
  const time = isoTime(ctx.runtime.now());
  obj.metadata.managedFields = recordUpdate(undefined, obj, managerOf(ctx), apiVersionOf(route.def), time);
  if (route.def.name === "pods") schedulePod(ctx.runtime, obj);
  if (isDryRun(ctx)) return dryRunCreated(route.def, obj, time);
  return store.create(route.def, obj);
}

/** Direct pod creation: bind to a node at once, start like controller-made pods. */
function schedulePod(runtime: ClusterRuntime, pod: K8sObject): void {
  const spec = (pod.spec ?? {}) as JsonRecord;
  if (!spec.nodeName) {
    const node = runtime.store.list(NODES).find((n) => {
      const s = (n.spec ?? {}) as JsonRecord;
      return s.unschedulable !== true && !runtime.nodeDownSince.has(n.metadata.name);
    });
    if (node) spec.nodeName = node.metadata.name;
  }
  pod.spec = spec;
  const at = isoTime(runtime.now());
  const containers = Array.isArray(spec.containers) ? (spec.containers as JsonRecord[]) : [];
  pod.status = {
    phase: "Pending",
    qosClass: "BestEffort",
    startTime: at,
    conditions: [
      {
        type: "PodScheduled",
        status: spec.nodeName ? "True" : "False",
        lastProbeTime: null,
        lastTransitionTime: at,
      },
    ],
    containerStatuses: containers.map((c) => ({
      name: c.name,
      image: c.image,
      imageID: "",
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: "ContainerCreating" } },
    })),
  };
}

function bumpGeneration(def: ResourceDef, before: K8sObject, after: K8sObject): void {
  if (!def.hasGeneration) return;
  const isSpecChanged = JSON.stringify(before.spec ?? null) !== JSON.stringify(after.spec ?? null);
  after.metadata.generation = (before.metadata.generation ?? 1) + (isSpecChanged ? 1 : 0);
}

/** Common tail for update, patch and apply: keep server-owned fields, bump generation, persist. */
function commitUpdate(
  ctx: ApiContext,
  route: Route,
  before: K8sObject,
  next: K8sObject,
  manager: string | undefined,
  isApply = false,
): K8sObject {
  const def = route.def;
  next.metadata = {
    ...next.metadata,
    name: before.metadata.name,
    namespace: before.metadata.namespace,
    uid: before.metadata.uid,
    creationTimestamp: before.metadata.creationTimestamp,
    generation: before.metadata.generation,
    resourceVersion: before.metadata.resourceVersion,
  };
  next.apiVersion = before.apiVersion;
  next.kind = before.kind;
  if (route.subresource === "status") {
    next = { ...before, status: next.status };
  } else if (def.hasStatus) {
    if (before.status === undefined) delete next.status;
    else next.status = before.status;
  }
  if (route.subresource !== "status") admit(def, next, before);
  bumpGeneration(def, before, next);
  if (manager && !isApply) {
    next.metadata.managedFields = recordUpdate(
      before,
      next,
      manager,
      apiVersionOf(def),
      isoTime(ctx.runtime.now()),
    );
  }
  if (isNoOp(before, next)) return before;
  if (isDryRun(ctx)) return next;
  return ctx.runtime.store.update(def, next);
}

export function updateObject(ctx: ApiContext, route: Route): K8sObject {
  const before = getOrThrow(ctx.runtime, route);
  const obj = checkIdentity(route, parseBody(ctx, true));
  if (route.subresource === "scale")
    return scaleUpdate(
      ctx,
      route,
      before,
      (obj as unknown as { spec?: { replicas?: number } }).spec?.replicas,
    );
  decode(ctx, route, obj);
  const rv = obj.metadata.resourceVersion;
  if (rv !== undefined && rv !== before.metadata.resourceVersion)
    throw conflict(route.def, before.metadata.name);
  return commitUpdate(ctx, route, before, clone(obj), managerOf(ctx));
}

function scaleUpdate(
  ctx: ApiContext,
  route: Route,
  before: K8sObject,
  replicas: number | undefined,
): K8sObject {
  if (typeof replicas !== "number")
    throw invalid(route.def, before.metadata.name, [
      { reason: "FieldValueRequired", message: "Required value", field: "spec.replicas" },
    ]);
  const next = clone(before);
  next.spec = { ...((next.spec ?? {}) as JsonRecord), replicas };
  return commitUpdate(ctx, { ...route, subresource: undefined }, before, next, managerOf(ctx));
}

export function patchObject(ctx: ApiContext, route: Route): void {
  const contentType = (ctx.req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
  const runtime = ctx.runtime;
  if (contentType === "application/apply-patch+yaml") {
    const manager = ctx.url.searchParams.get("fieldManager");
    if (!manager) {
      throw new ApiError(
        422,
        "Invalid",
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        {
          group: "meta.k8s.io",
          kind: "PatchOptions",
          causes: [
            {
              reason: "FieldValueRequired",
              message: "Required value: is required for apply patch",
              field: "fieldManager",
            },
          ],
        },
      );
    }
    const force = ctx.url.searchParams.get("force") === "true";
    const applied = checkIdentity(route, parseBody(ctx, true));
    decode(ctx, route, applied, true);
    stripServerFields(applied);
    const before = runtime.store.get(route.def, route.namespace, route.name ?? "");
    const time = isoTime(runtime.now());
    const result = serverSideApply(before, applied, manager, apiVersionOf(route.def), time, force);
    const merged = result.object as K8sObject;
    merged.metadata = { ...merged.metadata, managedFields: result.managedFields };
    if (!before) {
      admit(route.def, merged, undefined);
      if (CONTROLLER_STATUS.has(route.def.name)) merged.status = {};
      if (route.def.name === "pods") schedulePod(runtime, merged);
      if (isDryRun(ctx)) {
        ctx.respond.json(201, dryRunCreated(route.def, merged, time), warningHeaders(ctx));
        return;
      }
      ctx.respond.json(
        201,
        afterWrite(runtime, route, runtime.store.create(route.def, merged)),
        warningHeaders(ctx),
      );
      return;
    }
    ctx.respond.json(
      200,
      afterWrite(runtime, route, commitUpdate(ctx, route, before, merged, manager, true)),
      warningHeaders(ctx),
    );
    return;
  }
  const before = getOrThrow(runtime, route);
  const patch = parseBody(ctx, false);
  let next: unknown;
  const base = route.subresource === "scale" ? scaleOf(route.def, before) : before;
  switch (contentType) {
    case "application/merge-patch+json":
      next = jsonMergePatch(base, patch);
      break;
    case "application/strategic-merge-patch+json":
      if (route.def.group === "helm.cattle.io")
        throw new ApiError(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
        );
      next = strategicMergePatch(base, patch);
      break;
    case "application/json-patch+json":
      next = jsonPatch(base, patch);
      break;
    default:
      throw new ApiError(
        415,
        "UnsupportedMediaType",
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
      );
  }
  if (!isRecord(next)) throw badRequest("patch produced a non-object");
  if (route.subresource !== "scale" && route.subresource !== "status") decode(ctx, route, next);
  if (route.subresource === "scale") {
    const replicas = ((next.spec ?? {}) as JsonRecord).replicas;
    ctx.respond.json(
      200,
      presentOne(
        runtime,
        route,
        afterWrite(runtime, route, scaleUpdate(ctx, route, before, replicas as number | undefined)),
      ),
    );
    return;
  }
  const obj = next as K8sObject;
  const rv = ((patch.metadata ?? {}) as JsonRecord).resourceVersion;
  if (rv !== undefined && rv !== before.metadata.resourceVersion)
    throw conflict(route.def, before.metadata.name);
  ctx.respond.json(
    200,
    presentOne(
      runtime,
      route,
      afterWrite(runtime, route, commitUpdate(ctx, route, before, obj, managerOf(ctx))),
    ),
    warningHeaders(ctx),
  );
}

/** Writes that touch workloads kick the controllers immediately instead of waiting for the ticker. */
export function afterWrite(runtime: ClusterRuntime, route: Route, obj: K8sObject): K8sObject {
  if (
    [
      "deployments",
      "daemonsets",
      "statefulsets",
      "pods",
      "replicasets",
      "nodes",
      "helmcharts",
      "jobs",
    ].includes(route.def.name)
  ) {
    runtime.reconcile();
    runtime.isBusy = true;
  }
  return runtime.render(resourceKey(route.def), obj);
}

function collectGarbage(runtime: ClusterRuntime, ownerUid: string | undefined): void {
  if (!ownerUid) return;
  for (const def of [REPLICASETS, PODS, JOBS]) {
    for (const obj of runtime.store.list(def)) {
      if ((obj.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid)) {
        runtime.store.delete(def, obj.metadata.namespace, obj.metadata.name);
        collectGarbage(runtime, obj.metadata.uid);
      }
    }
  }
}

function successStatus(def: ResourceDef, obj: K8sObject): object {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    details: {
      name: obj.metadata.name,
      group: def.group || undefined,
      kind: def.name,
      uid: obj.metadata.uid,
    },
  };
}

export function deleteObject(ctx: ApiContext, route: Route): unknown {
  const runtime = ctx.runtime;
  const existing = getOrThrow(runtime, route);
  if (isDryRun(ctx)) return route.def.name === "pods" ? existing : successStatus(route.def, existing);
  if (route.def.name === "namespaces") {
    for (const def of RESOURCES) {
      if (!def.namespaced || def.isVirtual) continue;
      for (const obj of runtime.store.list(def, existing.metadata.name))
        runtime.store.delete(def, obj.metadata.namespace, obj.metadata.name);
    }
  }
  const deleted = runtime.store.delete(route.def, route.namespace, existing.metadata.name) ?? existing;
  collectGarbage(runtime, existing.metadata.uid);
  runtime.reconcile();
  runtime.isBusy = true;
  if (route.def.name === "pods") {
    return {
      ...deleted,
      metadata: {
        ...deleted.metadata,
        deletionTimestamp: isoTime(runtime.now()),
        deletionGracePeriodSeconds: 0,
      },
    };
  }
  if (route.def.name === "namespaces") return { ...deleted, status: { phase: "Terminating" } };
  return successStatus(route.def, deleted);
}

export function deleteCollection(ctx: ApiContext, route: Route): object {
  const { labels, fields } = selectorsOf(ctx.url, route.def);
  const runtime = ctx.runtime;
  const victims = runtime.store
    .list(route.def, route.namespace)
    .filter((o) => matchesWatcher({ namespace: route.namespace, labels, fields }, o));
  if (!isDryRun(ctx)) {
    for (const v of victims) {
      runtime.store.delete(route.def, v.metadata.namespace, v.metadata.name);
      collectGarbage(runtime, v.metadata.uid);
    }
    runtime.reconcile();
    runtime.isBusy = true;
  }
  return {
    kind: listKind(route.def),
    apiVersion: apiVersionOf(route.def),
    metadata: { resourceVersion: String(runtime.store.resourceVersion) },
    items: victims.map((v) => asListItem(route.def, v)),
  };
}
