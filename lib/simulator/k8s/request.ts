// What every verb handler shares: the request context, the parsed route, and the
// small helpers that turn stored objects into responses.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ClusterRuntime, Identity } from "../cluster";
import { badRequest, notFound } from "./errors";
import { type ResourceDef, resourceKey } from "./resources";
import {
  type FieldRequirement,
  type LabelRequirement,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from "./selectors";
import type { JsonRecord, K8sObject } from "./types";

export interface Responder {
  /** extra headers: Warning (dropped unknown fields), Location, ETag, Cache-Control */
  json(status: number, body: unknown, headers?: Record<string, string | string[]>): void;
  text(status: number, body: string, headers?: Record<string, string | string[]>): void;
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
  /** texts for Warning response headers (dropped unknown fields), collected while handling */
  warnings?: string[];
}

/** Warning headers in the apiserver's form: `299 - "text"`. */
export function warningHeaders(ctx: ApiContext): Record<string, string[]> {
  const warnings = ctx.warnings ?? [];
  return warnings.length > 0 ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}

export interface Route {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function getOrThrow(runtime: ClusterRuntime, route: Route): K8sObject {
  const obj = runtime.store.get(route.def, route.namespace, route.name ?? "");
  if (!obj) throw notFound(route.def, route.name ?? "");
  return obj;
}

export function presentOne(runtime: ClusterRuntime, route: Route, obj: K8sObject): unknown {
  const rendered = runtime.render(resourceKey(route.def), obj);
  if (route.subresource === "scale") return scaleOf(route.def, rendered);
  return rendered;
}

export function scaleOf(def: ResourceDef, obj: K8sObject): object {
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

export function selectorsOf(
  url: URL,
  def: ResourceDef,
): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
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

export function listKind(def: ResourceDef): string {
  return `${def.kind}List`;
}

/** Built-in lists omit items' kind/apiVersion; custom resources keep them, as the apiserver does. */
export function asListItem(def: ResourceDef, obj: K8sObject): unknown {
  if (def.group === "helm.cattle.io") return obj;
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}
