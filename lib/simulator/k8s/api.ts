// The simulated apiserver's REST surface for one cluster: routing, discovery,
// OpenAPI documents and the read verbs (get, list, watch); writes live in writes.ts.
import type { ClusterRuntime, Identity } from "../cluster";
import { ApiError, badRequest, expired, notFound } from "./errors";
import { serveMetrics } from "./metrics";
import { documentHash, openApiV2, openApiV3Document, openApiV3Index } from "./openapi";
import {
  type ActiveWatch,
  type ApiContext,
  asListItem,
  getOrThrow,
  listKind,
  presentOne,
  type Route,
  selectorsOf,
  warningHeaders,
} from "./request";
import { apiVersionOf, findResource, groupVersions, resourceKey, resourceList } from "./resources";
import { NAMESPACES } from "./seed";
import { deliver, matchesWatcher, type Watcher } from "./store";
import { type IncludeObject, negotiate, toPartialList, toTable } from "./table";
import type { JsonRecord, K8sObject } from "./types";
import {
  afterWrite,
  createObject,
  deleteCollection,
  deleteObject,
  patchObject,
  updateObject,
} from "./writes";

export type { ActiveWatch, ApiContext, Responder, WatchHub } from "./request";

const READ_VERBS = new Set(["get", "list", "watch"]);

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
  if (path === "/openapi/v2" || path.startsWith("/openapi/v3")) return serveOpenApi(ctx, path);
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
  const representation = READ_VERBS.has(verb) ? negotiate(req.headers.accept) : "json";
  if (!representation) throw notAcceptable();
  const include = includeObjectOf(url);
  switch (verb) {
    case "get": {
      const one = presentOne(runtime, route, getOrThrow(runtime, route)) as K8sObject;
      if (representation === "json" || route.subresource) return respond.json(200, one);
      const meta = { resourceVersion: one.metadata.resourceVersion };
      return respond.json(
        200,
        representation === "Table"
          ? toTable(route.def, [one], meta, runtime.now(), include)
          : (toPartialList([one], meta) as { items: unknown[] }).items[0],
      );
    }
    case "list": {
      const { items, metadata } = listObjects(runtime, route, url);
      if (representation === "Table")
        return respond.json(200, toTable(route.def, items, metadata, runtime.now(), include));
      if (representation === "PartialObjectMetadata")
        return respond.json(200, toPartialList(items, metadata));
      return respond.json(200, {
        kind: listKind(route.def),
        apiVersion: apiVersionOf(route.def),
        metadata,
        items: items.map((o) => asListItem(route.def, o)),
      });
    }
    case "watch":
      return startWatch(ctx, route, representation === "Table" ? include : undefined);
    case "create":
      return respond.json(201, afterWrite(runtime, route, createObject(ctx, route)), warningHeaders(ctx));
    case "update":
      return respond.json(200, afterWrite(runtime, route, updateObject(ctx, route)), warningHeaders(ctx));
    case "patch":
      return patchObject(ctx, route);
    case "delete":
      return respond.json(200, deleteObject(ctx, route));
    case "deletecollection":
      return respond.json(200, deleteCollection(ctx, route));
  }
  throw notFoundPath();
}

function notAcceptable(): ApiError {
  return new ApiError(
    406,
    "NotAcceptable",
    "only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io, application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io",
  );
}

function includeObjectOf(url: URL): IncludeObject {
  const raw = url.searchParams.get("includeObject") ?? "Metadata";
  if (raw === "None" || raw === "Metadata" || raw === "Object") return raw;
  throw badRequest(`includeObject must be one of None, Metadata, Object: "${raw}"`);
}

/**
 * /openapi/v2 as JSON (protobuf is not offered, so a client asking only for it gets 406),
 * /openapi/v3 as an index of per-group-version documents addressed by content hash;
 * a stale hash redirects to the current one, as the apiserver does.
 */
function serveOpenApi(ctx: ApiContext, path: string): void {
  const { runtime, respond, req, url } = ctx;
  const gitVersion = runtime.spec.k3sVersion;
  const accept = req.headers.accept ?? "";
  if (accept && !/application\/json|\*\/\*|application\/\*/.test(accept)) throw notAcceptable();
  if (path === "/openapi/v2") {
    const doc = openApiV2(gitVersion);
    respond.json(200, doc, { ETag: `"${documentHash(doc)}"` });
    return;
  }
  if (path === "/openapi/v3") {
    respond.json(200, openApiV3Index(gitVersion));
    return;
  }
  const key = path.slice("/openapi/v3/".length);
  const gv = /^api\/(v1)$/.exec(key) ?? /^apis\/([^/]+)\/([^/]+)$/.exec(key);
  if (!gv) throw notFoundPath();
  const [group, version] = gv.length === 2 ? ["", gv[1] ?? ""] : [gv[1] ?? "", gv[2] ?? ""];
  const doc = openApiV3Document(group, version, gitVersion);
  if (!doc) throw notFoundPath();
  const hash = documentHash(doc);
  const asked = url.searchParams.get("hash");
  if (asked && asked !== hash) {
    respond.json(301, {}, { Location: `/openapi/v3/${key}?hash=${hash}` });
    return;
  }
  respond.json(200, doc, {
    ETag: `"${hash}"`,
    ...(asked ? { "Cache-Control": "public, immutable" } : {}),
  });
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

function listObjects(
  runtime: ClusterRuntime,
  route: Route,
  url: URL,
): { items: K8sObject[]; metadata: JsonRecord } {
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
  return { items, metadata };
}

/** `tableInclude` set: each event's object is a one-row Table, as `kubectl get -w` asks for. */
function startWatch(ctx: ApiContext, route: Route, tableInclude?: IncludeObject): void {
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
    const isObjectEvent = type === "ADDED" || type === "MODIFIED" || type === "DELETED";
    const payload =
      tableInclude && isObjectEvent
        ? toTable(
            route.def,
            [object as K8sObject],
            { resourceVersion: (object as K8sObject).metadata.resourceVersion },
            runtime.now(),
            tableInclude,
          )
        : object;
    res.write(`${JSON.stringify({ type, object: payload })}\n`);
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
