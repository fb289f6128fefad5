// The simulated apiserver's REST surface for one cluster.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import type { ClusterRuntime, Identity } from "../cluster";
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  invalid,
  notFound,
  type StatusCause,
} from "./errors";
import { jsonMergePatch, jsonPatch, recordUpdate, serverSideApply, strategicMergePatch } from "./patch";
import {
  apiVersionOf,
  findResource,
  groupVersions,
  RESOURCES,
  type ResourceDef,
  resourceKey,
  resourceList,
} from "./resources";
import { NAMESPACES } from "./seed";
import {
  type FieldRequirement,
  type LabelRequirement,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from "./selectors";
import { deliver, matchesWatcher, type Watcher } from "./store";
import { clone, isoTime, isRecord, type JsonRecord, type K8sObject } from "./types";
import { isPodReady, NODES, PODS, REPLICASETS } from "./workloads";

export interface Responder {
  json(status: number, body: unknown): void;
  text(status: number, body: string): void;
}

export interface WatchHub {
  register(w: ActiveWatch): void;
  unregister(w: ActiveWatch): void;
}

export interface ActiveWatch {
  runtime: ClusterRuntime;
  res: ServerResponse;
  def: ResourceDef;
  wantsBookmarks: boolean;
  lastBookmarkAt: number;
  closesAt: number;
  close(): void;
}

export interface ApiContext {
  runtime: ClusterRuntime;
  identity: Identity;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: Buffer;
  respond: Responder;
  watches: WatchHub;
  isBlackholed(): boolean;
}

const READ_VERBS = new Set(["get", "list", "watch"]);
const STATUS_SUBRESOURCE = new Set([
  "pods",
  "nodes",
  "deployments",
  "daemonsets",
  "statefulsets",
  "replicasets",
  "namespaces",
  "services",
  "helmcharts",
]);
const CONTROLLER_STATUS = new Set(["pods", "deployments", "daemonsets", "statefulsets", "replicasets"]);
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Route {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function versionInfo(runtime: ClusterRuntime): object {
  const version = runtime.spec.k3sVersion;
  const m = /^v(\d+)\.(\d+)\.(\d+)/.exec(version);
  return {
    major: m?.[1] ?? "1",
    minor: m?.[2] ?? "31",
    gitVersion: version,
    gitCommit: (runtime.spec.seed >>> 0).toString(16).padStart(8, "0").repeat(5),
    gitTreeState: "clean",
    buildDate: "2024-12-13T00:09:48Z",
    goVersion: "go1.22.9",
    compiler: "gc",
    platform: `linux/${runtime.spec.nodes[0]?.arch ?? "amd64"}`,
  };
}

function groupDoc(group: string): object {
  const versions = groupVersions()
    .filter((g) => g.group === group)
    .map((g) => ({ groupVersion: `${g.group}/${g.version}`, version: g.version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export async function handleApi(ctx: ApiContext): Promise<void> {
  const { url, req, identity, respond, runtime } = ctx;
  const path = url.pathname.replace(/\/+$/, "") || "/";
  const method = req.method ?? "GET";
  if (path === "/version") return respond.json(200, versionInfo(runtime));
  if (path === "/healthz" || path === "/livez" || path === "/readyz") {
    return respond.text(
      200,
      url.searchParams.has("verbose") ? `[+]ping ok\n[+]etcd ok\n${path.slice(1)} check passed\n` : "ok",
    );
  }
  if (path === "/api") {
    return respond.json(200, {
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [
        {
          clientCIDR: "0.0.0.0/0",
          serverAddress: `${runtime.spec.nodes[0]?.internalIp ?? "127.0.0.1"}:6443`,
        },
      ],
    });
  }
  if (path === "/apis") {
    const groups = [...new Set(groupVersions().map((g) => g.group))].filter((g) => g !== "").map(groupDoc);
    return respond.json(200, { kind: "APIGroupList", apiVersion: "v1", groups });
  }
  const groupMatch = /^\/apis\/([^/]+)$/.exec(path);
  if (groupMatch) {
    const group = groupMatch[1] ?? "";
    if (!groupVersions().some((g) => g.group === group)) throw notFoundPath();
    return respond.json(200, { kind: "APIGroup", apiVersion: "v1", ...groupDoc(group) });
  }
  const prefix = /^\/api\/(v1)(?:\/(.*))?$/.exec(path) ?? /^\/apis\/([^/]+\/[^/]+)(?:\/(.*))?$/.exec(path);
  if (!prefix) throw notFoundPath();
  const groupVersion = prefix[1] ?? "";
  const [group, version] = groupVersion.includes("/")
    ? (groupVersion.split("/") as [string, string])
    : ["", groupVersion];
  const rest = prefix[2];
  if (!rest) {
    const list = resourceList(group, version);
    if (!list) throw notFoundPath();
    return respond.json(200, list);
  }
  let segments = rest.split("/").map(decodeURIComponent);
  let isLegacyWatch = false;
  if (segments[0] === "watch") {
    isLegacyWatch = true;
    segments = segments.slice(1);
  }
  const route = parseRoute(group, version, segments);
  if (!route) throw notFoundPath();
  const isWatch =
    isLegacyWatch || url.searchParams.get("watch") === "true" || url.searchParams.get("watch") === "1";
  const verb = verbOf(method, route, isWatch);
  if (!route.def.verbs.includes(verb) && !(route.subresource && ["get", "patch", "update"].includes(verb))) {
    throw new ApiError(
      405,
      "MethodNotAllowed",
      "the server does not allow this method on the requested resource",
    );
  }
  if (identity.isReadOnly && !READ_VERBS.has(verb)) throw forbidden(identity, verb, route);
  if (route.def.isVirtual) return serveMetrics(ctx, route);
  if (
    route.namespace &&
    verb !== "list" &&
    verb !== "watch" &&
    verb !== "get" &&
    !runtime.store.get(NAMESPACES, undefined, route.namespace)
  ) {
    throw notFound(NAMESPACES, route.namespace);
  }
  switch (verb) {
    case "get":
      return respond.json(200, presentOne(runtime, route, getOrThrow(runtime, route)));
    case "list":
      return respond.json(200, listObjects(runtime, route, url));
    case "watch":
      return startWatch(ctx, route);
    case "create":
      return respond.json(201, afterWrite(runtime, route, createObject(ctx, route)));
    case "update":
      return respond.json(200, afterWrite(runtime, route, updateObject(ctx, route)));
    case "patch":
      return patchObject(ctx, route);
    case "delete":
      return respond.json(200, deleteObject(ctx, route));
    case "deletecollection":
      return respond.json(200, deleteCollection(ctx, route));
  }
  throw notFoundPath();
}

function notFoundPath(): ApiError {
  return new ApiError(404, "NotFound", "the server could not find the requested resource", {
    causes: [{ reason: "UnexpectedServerResponse", message: "404 page not found" }],
  });
}

function parseRoute(group: string, version: string, segments: string[]): Route | undefined {
  const find = (name: string | undefined) => (name ? findResource(group, version, name) : undefined);
  const [a, b, c, d, e] = segments;
  if (a === "namespaces" && b !== undefined && c !== undefined && c !== "status" && c !== "finalize") {
    const def = find(c);
    if (!def?.namespaced) return undefined;
    return { def, namespace: b, name: d, subresource: e };
  }
  const def = find(a);
  if (!def) return undefined;
  if (def.namespaced && b !== undefined) return undefined;
  return { def, name: b, subresource: c };
}

function verbOf(method: string, route: Route, isWatch: boolean): string {
  switch (method) {
    case "GET":
      if (isWatch) return "watch";
      return route.name ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return route.name ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}

function forbidden(identity: Identity, verb: string, route: Route): ApiError {
  const where = route.namespace ? `in the namespace "${route.namespace}"` : "at the cluster scope";
  const what = route.name
    ? `${route.def.name}${route.def.group ? `.${route.def.group}` : ""} "${route.name}"`
    : `${route.def.name}${route.def.group ? `.${route.def.group}` : ""}`;
  return new ApiError(
    403,
    "Forbidden",
    `${what} is forbidden: User "${identity.user}" cannot ${verb} resource "${route.def.name}${route.subresource ? `/${route.subresource}` : ""}" in API group "${route.def.group}" ${where}`,
    { name: route.name, group: route.def.group || undefined, kind: route.def.name },
  );
}

function getOrThrow(runtime: ClusterRuntime, route: Route): K8sObject {
  const obj = runtime.store.get(route.def, route.namespace, route.name ?? "");
  if (!obj) throw notFound(route.def, route.name ?? "");
  return obj;
}

function presentOne(runtime: ClusterRuntime, route: Route, obj: K8sObject): unknown {
  const rendered = runtime.render(resourceKey(route.def), obj);
  if (route.subresource === "scale") return scaleOf(route.def, rendered);
  return rendered;
}

function scaleOf(def: ResourceDef, obj: K8sObject): object {
  const spec = (obj.spec ?? {}) as JsonRecord;
  const status = (obj.status ?? {}) as JsonRecord;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: {
      replicas: status.replicas ?? 0,
      selector: def.kind === "Deployment" ? selectorString(spec) : undefined,
    },
  };
}

function selectorString(spec: JsonRecord): string {
  const labels = ((spec.selector as JsonRecord | undefined)?.matchLabels ?? {}) as Record<string, string>;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

function selectorsOf(url: URL, def: ResourceDef): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
  try {
    return {
      labels: parseLabelSelector(url.searchParams.get("labelSelector")),
      fields: parseFieldSelector(url.searchParams.get("fieldSelector"), def.kind),
    };
  } catch (err) {
    if (err instanceof SelectorError) throw badRequest(err.message);
    throw err;
  }
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: token.rv, start: token.start })).toString(
    "base64url",
  );
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as {
      rv?: unknown;
      start?: unknown;
    };
    if (typeof parsed.rv !== "number" || typeof parsed.start !== "string") throw new Error("shape");
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw badRequest(`continue key is not valid: illegal base64 data at input byte 0`);
  }
}

function listKind(def: ResourceDef): string {
  return `${def.kind}List`;
}

/** Built-in lists omit items' kind/apiVersion; custom resources keep them, as the apiserver does. */
function asListItem(def: ResourceDef, obj: K8sObject): unknown {
  if (def.group === "helm.cattle.io") return obj;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function listObjects(runtime: ClusterRuntime, route: Route, url: URL): object {
  const { labels, fields } = selectorsOf(url, route.def);
  const store = runtime.store;
  const key = resourceKey(route.def);
  const filter = { namespace: route.namespace, labels, fields };
  let items = store
    .list(route.def, route.namespace)
    .map((o) => runtime.render(key, o))
    .filter((o) => matchesWatcher(filter, o));
  const continueRaw = url.searchParams.get("continue");
  let listRv = store.resourceVersion;
  if (continueRaw) {
    const token = decodeContinue(continueRaw);
    if (token.rv < store.oldestResumableRv) {
      throw expired(
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      );
    }
    listRv = token.rv;
    items = items.filter((o) => `${o.metadata.namespace ?? ""}/${o.metadata.name}` > token.start);
  }
  const limit = Number(url.searchParams.get("limit") ?? "0");
  const metadata: JsonRecord = { resourceVersion: String(listRv) };
  if (limit > 0 && items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    metadata.continue = encodeContinue({
      rv: listRv,
      start: `${last?.metadata.namespace ?? ""}/${last?.metadata.name ?? ""}`,
    });
    metadata.remainingItemCount = items.length - limit;
    items = page;
  }
  return {
    kind: listKind(route.def),
    apiVersion: apiVersionOf(route.def),
    metadata,
    items: items.map((o) => asListItem(route.def, o)),
  };
}

function startWatch(ctx: ApiContext, route: Route): void {
  const { runtime, url, res, req } = ctx;
  const { labels, fields } = selectorsOf(url, route.def);
  if (route.name) fields.push({ field: "metadata.name", value: route.name, isNegated: false });
  const store = runtime.store;
  const key = resourceKey(route.def);
  const rvParam = url.searchParams.get("resourceVersion") ?? "";
  const wantsBookmarks = url.searchParams.get("allowWatchBookmarks") === "true";
  const timeoutSeconds = Number(url.searchParams.get("timeoutSeconds") ?? "0");
  const now = runtime.now();
  res.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  const write = (type: string, object: unknown) => {
    if (res.writableEnded || ctx.isBlackholed()) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const bookmark = (annotations?: Record<string, string>) =>
    write("BOOKMARK", {
      kind: route.def.kind,
      apiVersion: apiVersionOf(route.def),
      metadata: { resourceVersion: String(store.resourceVersion), ...(annotations ? { annotations } : {}) },
    });
  const filter = { namespace: route.namespace, labels, fields };
  if (rvParam === "" || rvParam === "0") {
    for (const obj of store.list(route.def, route.namespace)) {
      const rendered = runtime.render(key, obj);
      if (matchesWatcher(filter, rendered)) write("ADDED", rendered);
    }
    if (wantsBookmarks && url.searchParams.get("sendInitialEvents") === "true")
      bookmark({ "k8s.io/initial-events-end": "true" });
  } else {
    const rv = Number(rvParam);
    const events = Number.isFinite(rv) ? store.eventsSince(key, rv) : undefined;
    if (!events) {
      write("ERROR", expired(`too old resource version: ${rvParam} (${store.oldestResumableRv})`).toStatus());
      res.end();
      return;
    }
    const replay: Watcher = {
      key,
      namespace: route.namespace,
      labels,
      fields,
      send: (type, obj) => write(type, runtime.render(key, obj)),
    };
    for (const e of events) deliver(replay, e);
  }
  const watcher: Watcher = {
    key,
    namespace: route.namespace,
    labels,
    fields,
    send: (type, obj) => write(type, runtime.render(key, obj)),
  };
  store.watchers.add(watcher);
  const maxSeconds =
    timeoutSeconds > 0 ? Math.min(timeoutSeconds, 3600) : 1800 + Math.floor(Math.random() * 1800);
  const active: ActiveWatch = {
    runtime,
    res,
    def: route.def,
    wantsBookmarks,
    lastBookmarkAt: now,
    closesAt: Date.now() + maxSeconds * 1000,
    close: () => {
      store.watchers.delete(watcher);
      ctx.watches.unregister(active);
      if (!res.writableEnded) res.end();
    },
  };
  (active as ActiveWatch & { bookmark: () => void }).bookmark = () => bookmark();
  ctx.watches.register(active);
  req.on("close", () => active.close());
  res.on("close", () => active.close());
}

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

function validate(def: ResourceDef, obj: K8sObject): void {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  const pattern = def.name === "namespaces" || def.name === "services" ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!name)
    causes.push({
      reason: "FieldValueRequired",
      message: "Required value: name or generateName is required",
      field: "metadata.name",
    });
  else if (!pattern.test(name) || name.length > 253) {
    causes.push({
      reason: "FieldValueInvalid",
      message: `Invalid value: "${name}": a lowercase RFC 1123 ${pattern === DNS_LABEL ? "label" : "subdomain"} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      field: "metadata.name",
    });
  }
  const spec = (obj.spec ?? {}) as JsonRecord;
  const checkContainers = (podSpec: JsonRecord | undefined, field: string) => {
    const containers = podSpec?.containers;
    if (!Array.isArray(containers) || containers.length === 0) {
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${field}.containers` });
      return;
    }
    containers.forEach((c, i) => {
      const rec = isRecord(c) ? c : {};
      if (!rec.name)
        causes.push({
          reason: "FieldValueRequired",
          message: "Required value",
          field: `${field}.containers[${i}].name`,
        });
      if (!rec.image)
        causes.push({
          reason: "FieldValueRequired",
          message: "Required value",
          field: `${field}.containers[${i}].image`,
        });
    });
  };
  if (def.kind === "Pod") checkContainers(spec, "spec");
  if (["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet"].includes(def.kind)) {
    const selector = (spec.selector as JsonRecord | undefined)?.matchLabels as
      | Record<string, string>
      | undefined;
    const template = (spec.template ?? {}) as JsonRecord;
    const templateLabels = ((template.metadata as JsonRecord | undefined)?.labels ?? {}) as Record<
      string,
      string
    >;
    if (!selector || Object.keys(selector).length === 0)
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.selector" });
    else if (Object.entries(selector).some(([k, v]) => templateLabels[k] !== v)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: "Invalid value: map[string]string{...}: `selector` does not match template `labels`",
        field: "spec.template.metadata.labels",
      });
    }
    checkContainers(template.spec as JsonRecord | undefined, "spec.template.spec");
    if (typeof spec.replicas === "number" && spec.replicas < 0) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
        field: "spec.replicas",
      });
    }
  }
  if (causes.length > 0) throw invalid(def, name || "", causes);
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

function createObject(ctx: ApiContext, route: Route): K8sObject {
  if (route.name)
    throw new ApiError(
      405,
      "MethodNotAllowed",
      "the server does not allow this method on the requested resource",
    );
  const obj = checkIdentity(route, parseBody(ctx, true));
  stripServerFields(obj);
  if (!obj.metadata.name && obj.metadata.generateName)
    obj.metadata.name = `${obj.metadata.generateName}${ctx.runtime.workloads.rng.hex(5)}`;
  validate(route.def, obj);
  const store = ctx.runtime.store;
  if (store.get(route.def, route.namespace, obj.metadata.name))
    throw alreadyExists(route.def, obj.metadata.name);
  if (CONTROLLER_STATUS.has(route.def.name))
    obj.status = route.def.name === "pods" ? { phase: "Pending", qosClass: "BestEffort" } : {};
  const time = isoTime(ctx.runtime.now());
  obj.metadata.managedFields = recordUpdate(undefined, obj, managerOf(ctx), apiVersionOf(route.def), time);
  if (route.def.name === "pods") schedulePod(ctx.runtime, obj);
  if (isDryRun(ctx))
    return {
      ...clone(obj),
      metadata: { ...obj.metadata, uid: "00000000-0000-0000-0000-000000000000", creationTimestamp: time },
    };
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
  } else if (STATUS_SUBRESOURCE.has(def.name)) {
    if (before.status === undefined) delete next.status;
    else next.status = before.status;
  }
  validate(def, next);
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
  if (JSON.stringify(before) === JSON.stringify(next)) return before;
  if (isDryRun(ctx)) return next;
  return ctx.runtime.store.update(def, next);
}

function updateObject(ctx: ApiContext, route: Route): K8sObject {
  const before = getOrThrow(ctx.runtime, route);
  const obj = checkIdentity(route, parseBody(ctx, true));
  if (route.subresource === "scale")
    return scaleUpdate(
      ctx,
      route,
      before,
      (obj as unknown as { spec?: { replicas?: number } }).spec?.replicas,
    );
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

function patchObject(ctx: ApiContext, route: Route): void {
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
    stripServerFields(applied);
    const before = runtime.store.get(route.def, route.namespace, route.name ?? "");
    const time = isoTime(runtime.now());
    const result = serverSideApply(before, applied, manager, apiVersionOf(route.def), time, force);
    const merged = result.object as K8sObject;
    merged.metadata = { ...merged.metadata, managedFields: result.managedFields };
    if (!before) {
      validate(route.def, merged);
      if (CONTROLLER_STATUS.has(route.def.name)) merged.status = {};
      if (route.def.name === "pods") schedulePod(runtime, merged);
      const created = isDryRun(ctx) ? merged : runtime.store.create(route.def, merged);
      ctx.respond.json(201, afterWrite(runtime, route, created));
      return;
    }
    ctx.respond.json(
      200,
      afterWrite(runtime, route, commitUpdate(ctx, route, before, merged, manager, true)),
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
  );
}

/** Writes that touch workloads kick the controllers immediately instead of waiting for the ticker. */
function afterWrite(runtime: ClusterRuntime, route: Route, obj: K8sObject): K8sObject {
  if (
    ["deployments", "daemonsets", "statefulsets", "pods", "replicasets", "nodes"].includes(route.def.name)
  ) {
    runtime.reconcile();
    runtime.isBusy = true;
  }
  return runtime.render(resourceKey(route.def), obj);
}

function collectGarbage(runtime: ClusterRuntime, ownerUid: string | undefined): void {
  if (!ownerUid) return;
  for (const def of [REPLICASETS, PODS]) {
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

function deleteObject(ctx: ApiContext, route: Route): unknown {
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

function deleteCollection(ctx: ApiContext, route: Route): object {
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

// ---- metrics.k8s.io -------------------------------------------------------

function wave(seed: number, now: number, periodMs: number): number {
  return 0.5 + 0.5 * Math.sin((now / periodMs + (seed % 1000) / 1000) * 2 * Math.PI);
}

function serveMetrics(ctx: ApiContext, route: Route): void {
  const { runtime } = ctx;
  const now = runtime.now();
  const timestamp = isoTime(now);
  if (route.def.kind === "NodeMetrics") {
    const nodes = runtime.store
      .list(NODES)
      .filter((n) => !runtime.nodeDownSince.has(n.metadata.name))
      .map((n) => {
        const spec = runtime.spec.nodes.find((s) => s.name === n.metadata.name);
        const seed = spec?.seed ?? 1;
        const cores = spec?.cpuCores ?? 2;
        const memMi = spec?.memoryMi ?? 2048;
        return {
          kind: "NodeMetrics",
          apiVersion: "metrics.k8s.io/v1beta1",
          metadata: { name: n.metadata.name, creationTimestamp: timestamp, labels: n.metadata.labels },
          timestamp,
          window: "10.066s",
          usage: {
            cpu: `${Math.round(cores * 1000 * (0.08 + 0.35 * wave(seed, now, 600_000)))}m`,
            memory: `${Math.round(memMi * (0.3 + 0.3 * wave(seed * 7, now, 1_800_000)))}Mi`,
          },
        };
      });
    respondMetrics(ctx, route, nodes);
    return;
  }
  const pods = runtime.store
    .list(PODS, route.namespace)
    .filter(isPodReady)
    .map((p) => {
      const containers = ((p.spec as JsonRecord).containers ?? []) as JsonRecord[];
      const seed = [...(p.metadata.uid ?? p.metadata.name)].reduce(
        (h, c) => (h * 31 + c.charCodeAt(0)) >>> 0,
        7,
      );
      return {
        kind: "PodMetrics",
        apiVersion: "metrics.k8s.io/v1beta1",
        metadata: {
          name: p.metadata.name,
          namespace: p.metadata.namespace,
          creationTimestamp: timestamp,
          labels: p.metadata.labels,
        },
        timestamp,
        window: "10.066s",
        containers: containers.map((c, i) => ({
          name: c.name,
          usage: {
            cpu: `${1 + Math.round(80 * wave(seed + i, now, 300_000))}m`,
            memory: `${8 + Math.round(120 * wave(seed * 3 + i, now, 900_000))}Mi`,
          },
        })),
      };
    });
  respondMetrics(ctx, route, pods);
}

function respondMetrics(
  ctx: ApiContext,
  route: Route,
  items: { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }[],
): void {
  if (route.name) {
    const found = items.find((i) => i.metadata.name === route.name);
    if (!found) throw notFound(route.def, route.name);
    ctx.respond.json(200, found);
    return;
  }
  const { labels } = selectorsOf(ctx.url, route.def);
  const filtered = items.filter((i) => matchesWatcher({ labels, fields: [] }, i as unknown as K8sObject));
  ctx.respond.json(200, {
    kind: `${route.def.kind}List`,
    apiVersion: "metrics.k8s.io/v1beta1",
    metadata: {},
    items: filtered,
  });
}
