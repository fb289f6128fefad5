// OpenAPI v2 (/openapi/v2) and v3 (/openapi/v3, one document per group version)
// for the kinds the simulator serves, built from schema.ts and the resource table,
// in the layout the apiserver uses: definition names like
// io.k8s.api.apps.v1.Deployment, x-kubernetes-group-version-kind on every root,
// list-map keys and patch strategies on merge lists, operations per verb.
import { createHash } from "node:crypto";
import { groupVersions, RESOURCES, type ResourceDef } from "./resources";
import { DEFINITIONS, definitionFor, type Schema } from "./schema";

type Doc = Record<string, unknown>;
type RefStyle = "#/definitions/" | "#/components/schemas/";

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

/** Envelope types every API document refers to. */
const ENVELOPES: Record<string, Doc> = {
  [`${META}.ListMeta`]: {
    type: "object",
    properties: {
      continue: { type: "string" },
      remainingItemCount: { type: "integer", format: "int64" },
      resourceVersion: { type: "string" },
      selfLink: { type: "string" },
    },
  },
  [`${META}.Status`]: {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      code: { type: "integer", format: "int32" },
      details: {
        type: "object",
        properties: {
          causes: {
            type: "array",
            items: {
              type: "object",
              properties: {
                field: { type: "string" },
                message: { type: "string" },
                reason: { type: "string" },
              },
            },
          },
          group: { type: "string" },
          kind: { type: "string" },
          name: { type: "string" },
          retryAfterSeconds: { type: "integer", format: "int32" },
          uid: { type: "string" },
        },
      },
      kind: { type: "string" },
      message: { type: "string" },
      metadata: { $ref: `${META}.ListMeta` },
      reason: { type: "string" },
      status: { type: "string" },
    },
    "x-kubernetes-group-version-kind": [{ group: "", kind: "Status", version: "v1" }],
  },
  [`${META}.Patch`]: {
    type: "object",
    description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
  },
  [`${META}.DeleteOptions`]: {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      dryRun: { type: "array", items: { type: "string" } },
      gracePeriodSeconds: { type: "integer", format: "int64" },
      kind: { type: "string" },
      propagationPolicy: { type: "string" },
    },
  },
  [`${META}.WatchEvent`]: {
    type: "object",
    required: ["type", "object"],
    properties: { object: { type: "object" }, type: { type: "string" } },
  },
};

function toOpenApi(schema: Schema, refs: RefStyle): Doc {
  if ("ref" in schema) return { $ref: `${refs}${schema.ref}` };
  switch (schema.type) {
    case "string":
      return {
        type: "string",
        ...(schema.format && schema.format !== "quantity" ? { format: schema.format } : {}),
        ...(schema.enum ? { enum: schema.enum } : {}),
      };
    case "integer":
      return { type: "integer", ...(schema.format ? { format: schema.format } : {}) };
    case "number":
      return { type: "number", format: "double" };
    case "boolean":
      return { type: "boolean" };
    case "free":
      return { "x-kubernetes-preserve-unknown-fields": true };
    case "map":
      return { type: "object", additionalProperties: toOpenApi(schema.values, refs) };
    case "array":
      return {
        type: "array",
        items: toOpenApi(schema.items, refs),
        ...(schema.mergeKey
          ? {
              "x-kubernetes-list-map-keys": schema.listMapKeys ?? [schema.mergeKey],
              "x-kubernetes-list-type": "map",
              "x-kubernetes-patch-merge-key": schema.mergeKey,
              "x-kubernetes-patch-strategy": "merge",
            }
          : {}),
      };
    case "object": {
      const properties: Doc = {};
      for (const key of Object.keys(schema.properties).sort()) {
        properties[key] = toOpenApi(schema.properties[key] as Schema, refs);
      }
      return {
        type: "object",
        ...(schema.description ? { description: schema.description } : {}),
        properties,
        ...(schema.required ? { required: schema.required } : {}),
      };
    }
  }
}

/** A schema with every reference resolved in place: what a CRD's openAPIV3Schema holds. */
export function inlineSchema(schema: Schema): Doc {
  const doc = toOpenApi(schema, "#/definitions/");
  return JSON.parse(JSON.stringify(doc), (_key, value: unknown) => {
    if (value && typeof value === "object" && "$ref" in value) {
      const name = String((value as { $ref: string }).$ref).replace("#/definitions/", "");
      const target = DEFINITIONS[name];
      return target ? inlineSchema(target) : { "x-kubernetes-preserve-unknown-fields": true };
    }
    return value;
  }) as Doc;
}

function refsIn(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refsIn(v, out);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string")
        out.add(v.replace(/^#\/(definitions|components\/schemas)\//, ""));
      else refsIn(v, out);
    }
  }
}

function gvk(def: ResourceDef, kind = def.kind) {
  return [{ group: def.group, kind, version: def.version }];
}

function listDefinitionName(rootName: string): string {
  return `${rootName}List`;
}

/** Every definition a set of resources needs (their kinds, their lists, and what those refer to). */
function definitionsFor(defs: ResourceDef[], refs: RefStyle): Record<string, Doc> {
  const out: Record<string, Doc> = {};
  const pending: string[] = [];
  const add = (name: string, doc: Doc) => {
    if (out[name]) return;
    out[name] = doc;
    const found = new Set<string>();
    refsIn(doc, found);
    pending.push(...found);
  };
  for (const [name, doc] of Object.entries(ENVELOPES)) add(name, rewriteRefs(doc, refs));
  for (const def of defs) {
    const name = definitionFor(def.group, def.version, def.kind);
    const schema = name ? DEFINITIONS[name] : undefined;
    if (!name || !schema) continue;
    add(name, { ...toOpenApi(schema, refs), "x-kubernetes-group-version-kind": gvk(def) });
    add(listDefinitionName(name), {
      type: "object",
      required: ["items"],
      properties: {
        apiVersion: { type: "string" },
        items: { type: "array", items: { $ref: `${refs}${name}` } },
        kind: { type: "string" },
        metadata: { $ref: `${refs}${META}.ListMeta` },
      },
      "x-kubernetes-group-version-kind": gvk(def, `${def.kind}List`),
    });
  }
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (out[name]) continue;
    const schema = DEFINITIONS[name];
    if (schema) add(name, toOpenApi(schema, refs));
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** ENVELOPES are written with bare names; give them the document's ref prefix. */
function rewriteRefs(doc: Doc, refs: RefStyle): Doc {
  return JSON.parse(
    JSON.stringify(doc).replace(/"\$ref":"([^"#][^"]*)"/g, (_m, name: string) => `"$ref":"${refs}${name}"`),
  ) as Doc;
}

/** "rbac.authorization.k8s.io" + "v1" → "RbacAuthorizationV1", "" → "CoreV1", as client generators name them. */
function operationGroup(def: ResourceDef): string {
  const parts = def.group === "" ? ["core"] : def.group.replace(/\.k8s\.io$/, "").split(".");
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return parts.map(cap).join("") + cap(def.version);
}

const param = (name: string, where: "path" | "query", type = "string", description?: string) => ({
  name,
  in: where,
  ...(where === "path" ? { required: true } : {}),
  type,
  uniqueItems: true,
  ...(description ? { description } : {}),
});

const LIST_PARAMS = [
  param("labelSelector", "query"),
  param("fieldSelector", "query"),
  param("limit", "query", "integer"),
  param("continue", "query"),
  param("resourceVersion", "query"),
  param("timeoutSeconds", "query", "integer"),
  param("watch", "query", "boolean"),
  param("allowWatchBookmarks", "query", "boolean"),
];
const WRITE_PARAMS = [
  param(
    "dryRun",
    "query",
    "string",
    "When present, indicates that modifications should not be persisted. Valid value: All",
  ),
  param("fieldManager", "query"),
  param("fieldValidation", "query", "string", "Ignore, Warn (default) or Strict"),
];

interface Operation {
  verb: string;
  method: "get" | "post" | "put" | "patch" | "delete";
  id: string;
  action: string;
  body?: string;
  response: string;
  params: object[];
  consumes?: string[];
}

function pathsFor(defs: ResourceDef[], refs: RefStyle, isV3: boolean): Doc {
  const paths: Doc = {};
  for (const def of defs) {
    const root = definitionFor(def.group, def.version, def.kind);
    if (!root) continue;
    const base = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
    const scope = def.namespaced ? "Namespaced" : "";
    const prefix = def.namespaced ? `${base}/namespaces/{namespace}/${def.name}` : `${base}/${def.name}`;
    const group = operationGroup(def);
    const patchTypes = [
      "application/json-patch+json",
      "application/merge-patch+json",
      ...(def.group === "helm.cattle.io" ? [] : ["application/strategic-merge-patch+json"]),
      "application/apply-patch+yaml",
    ];
    const collection: Operation[] = [
      {
        verb: "list",
        method: "get",
        id: `list${group}${scope}${def.kind}`,
        action: "list",
        response: listDefinitionName(root),
        params: LIST_PARAMS,
      },
      {
        verb: "create",
        method: "post",
        id: `create${group}${scope}${def.kind}`,
        action: "post",
        body: root,
        response: root,
        params: WRITE_PARAMS,
      },
      {
        verb: "deletecollection",
        method: "delete",
        id: `delete${group}Collection${scope}${def.kind}`,
        action: "deletecollection",
        response: `${META}.Status`,
        params: [...LIST_PARAMS.slice(0, 2), WRITE_PARAMS[0] as object],
      },
    ];
    const item: Operation[] = [
      {
        verb: "get",
        method: "get",
        id: `read${group}${scope}${def.kind}`,
        action: "get",
        response: root,
        params: [],
      },
      {
        verb: "update",
        method: "put",
        id: `replace${group}${scope}${def.kind}`,
        action: "put",
        body: root,
        response: root,
        params: WRITE_PARAMS,
      },
      {
        verb: "patch",
        method: "patch",
        id: `patch${group}${scope}${def.kind}`,
        action: "patch",
        body: `${META}.Patch`,
        response: root,
        params: [...WRITE_PARAMS, param("force", "query", "boolean")],
        consumes: patchTypes,
      },
      {
        verb: "delete",
        method: "delete",
        id: `delete${group}${scope}${def.kind}`,
        action: "delete",
        body: `${META}.DeleteOptions`,
        response: `${META}.Status`,
        params: [WRITE_PARAMS[0] as object],
      },
    ];
    const pathParams = (isItem: boolean) => [
      ...(isItem ? [param("name", "path", "string", `name of the ${def.kind}`)] : []),
      ...(def.namespaced
        ? [param("namespace", "path", "string", "object name and auth scope, such as for teams and projects")]
        : []),
    ];
    const render = (ops: Operation[], isItem: boolean): Doc => {
      const entry: Doc = { parameters: pathParams(isItem).map((p) => v3Param(p, isV3)) };
      for (const op of ops) {
        if (!def.verbs.includes(op.verb)) continue;
        const schemaRef = { $ref: `${refs}${op.response}` };
        const operation: Doc = {
          tags: [group.charAt(0).toLowerCase() + group.slice(1)],
          operationId: op.id,
          "x-kubernetes-action": op.action,
          "x-kubernetes-group-version-kind": { group: def.group, kind: def.kind, version: def.version },
          parameters: op.params.map((p) => v3Param(p, isV3)),
        };
        if (isV3) {
          operation.responses = {
            "200": {
              description: "OK",
              content: {
                "application/json": { schema: schemaRef },
                "application/yaml": { schema: schemaRef },
              },
            },
            "401": { description: "Unauthorized" },
          };
          if (op.body) {
            operation.requestBody = {
              content: Object.fromEntries(
                (op.consumes ?? ["*/*"]).map((c) => [c, { schema: { $ref: `${refs}${op.body}` } }]),
              ),
              required: true,
            };
          }
        } else {
          operation.consumes = op.consumes ?? ["*/*"];
          operation.produces = ["application/json", "application/yaml"];
          operation.schemes = ["https"];
          operation.responses = {
            "200": { description: "OK", schema: schemaRef },
            "401": { description: "Unauthorized" },
          };
          if (op.body)
            (operation.parameters as object[]).unshift({
              name: "body",
              in: "body",
              required: true,
              schema: { $ref: `${refs}${op.body}` },
            });
        }
        entry[op.method] = operation;
      }
      return entry;
    };
    if (!def.isVirtual || def.verbs.includes("list")) paths[prefix] = render(collection, false);
    paths[`${prefix}/{name}`] = render(item, true);
    if (def.namespaced && def.verbs.includes("list") && !def.isVirtual) {
      paths[`${base}/${def.name}`] = render(
        [{ ...(collection[0] as Operation), id: `list${group}${def.kind}ForAllNamespaces` }],
        false,
      );
    }
  }
  return paths;
}

/** v3 parameters carry their type inside `schema`. */
function v3Param(p: object, isV3: boolean): object {
  if (!isV3) return p;
  const { type, uniqueItems: _u, ...rest } = p as { type: string; uniqueItems?: boolean };
  return { ...rest, schema: { type, uniqueItems: true } };
}

function served(): ResourceDef[] {
  return RESOURCES.filter((d) => definitionFor(d.group, d.version, d.kind));
}

const cache = new Map<string, Doc>();

/** Documents depend only on the version string; build each once per process. */
function memo(key: string, build: () => Doc | undefined): Doc | undefined {
  const hit = cache.get(key);
  if (hit) return hit;
  const doc = build();
  if (doc) cache.set(key, doc);
  return doc;
}

export function openApiV2(gitVersion: string): Doc {
  return memo(`v2/${gitVersion}`, () => buildV2(gitVersion)) as Doc;
}

function buildV2(gitVersion: string): Doc {
  const defs = served();
  return {
    swagger: "2.0",
    info: { title: "Kubernetes", version: gitVersion },
    paths: pathsFor(defs, "#/definitions/", false),
    definitions: definitionsFor(defs, "#/definitions/"),
    securityDefinitions: { BearerToken: { type: "apiKey", name: "authorization", in: "header" } },
    security: [{ BearerToken: [] }],
  };
}

/** Path key of a group version in the v3 index: "api/v1", "apis/apps/v1". */
export function v3PathKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export function openApiV3Document(group: string, version: string, gitVersion: string): Doc | undefined {
  return memo(`v3/${group}/${version}/${gitVersion}`, () => buildV3(group, version, gitVersion));
}

function buildV3(group: string, version: string, gitVersion: string): Doc | undefined {
  const defs = served().filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: gitVersion },
    paths: pathsFor(defs, "#/components/schemas/", true),
    components: {
      schemas: definitionsFor(defs, "#/components/schemas/"),
      securitySchemes: {
        BearerToken: {
          type: "apiKey",
          description: "Bearer Token authentication",
          name: "authorization",
          in: "header",
        },
      },
    },
  };
}

/** Content hash the apiserver puts in serverRelativeURL so clients can cache a document forever. */
const hashes = new WeakMap<Doc, string>();

export function documentHash(doc: Doc): string {
  let hash = hashes.get(doc);
  if (!hash) {
    hash = createHash("sha512").update(JSON.stringify(doc)).digest("hex").toUpperCase();
    hashes.set(doc, hash);
  }
  return hash;
}

export function openApiV3Index(gitVersion: string): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    const doc = openApiV3Document(gv.group, gv.version, gitVersion);
    if (!doc) continue;
    const key = v3PathKey(gv.group, gv.version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${documentHash(doc)}` };
  }
  return { paths };
}
