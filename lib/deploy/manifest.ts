// Multi-document YAML → the objects of a deployment, with every problem named by
// document (and line) and field, before anything talks to a cluster. Pure.
import { isMap, LineCounter, parseAllDocuments } from "yaml";
import { groupOf, kindInfo, needsAdmin, REFUSED_KINDS } from "./kinds";

export const MAX_MANIFEST_BYTES = 1024 * 1024;
export const MAX_MANIFEST_OBJECTS = 200;
/** Labels Outpost writes on every object it applies; what rollback pruning looks for. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "outpost";
export const DEPLOYMENT_LABEL = "outpost.dev/deployment";

export type JsonObject = Record<string, unknown>;

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** resolved: the document's namespace, or the default for namespaced kinds; undefined when cluster-scoped */
  namespace?: string;
  /** true/false from the kind table; undefined for kinds only a cluster's discovery knows */
  namespaced?: boolean;
  /** the object as it will be applied (server-set fields removed, namespace filled in) */
  body: JsonObject;
  /** 1-based position in the pasted text */
  document: number;
}

export interface ManifestIssue {
  /** 1-based document, null for the whole text */
  document: number | null;
  line: number | null;
  /** "Deployment pos/pos-api", when the document got that far */
  object: string | null;
  /** dotted field path inside the document ("" for the document itself) */
  path: string;
  message: string;
  severity: "error" | "warning";
}

export interface ParsedManifest {
  objects: ManifestObject[];
  issues: ManifestIssue[];
  /** the role needed to deploy it: cluster-scoped and RBAC objects need admin */
  requiredRole: "operator" | "admin";
  bytes: number;
}

export interface ParseOptions {
  maxBytes?: number;
  maxObjects?: number;
  defaultNamespace?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SERVER_METADATA = [
  "uid",
  "resourceVersion",
  "creationTimestamp",
  "managedFields",
  "generation",
  "selfLink",
  "deletionTimestamp",
] as const;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectLabel(o: { kind: string; namespace?: string; name: string }): string {
  return `${o.kind} ${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
}

/** The identity two documents must not share: group, kind, namespace, name. */
export function objectKey(o: { apiVersion: string; kind: string; namespace?: string; name: string }): string {
  return `${groupOf(o.apiVersion)}/${o.kind}/${o.namespace ?? ""}/${o.name}`;
}

export function formatIssue(issue: ManifestIssue): string {
  const where = [
    issue.document !== null ? `document ${issue.document}` : null,
    issue.object ? `(${issue.object})` : null,
    issue.line !== null ? `line ${issue.line}` : null,
  ]
    .filter(Boolean)
    .join(" ");
  return `${where ? `${where}: ` : ""}${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}

function labelIssues(labels: unknown, path: string): { path: string; message: string }[] {
  if (labels === undefined) return [];
  if (!isObject(labels)) return [{ path, message: "must be a map of strings" }];
  const out: { path: string; message: string }[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes("/") ? key.split("/", 2) : [undefined, key];
    if (
      (prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) ||
      !name ||
      !LABEL_NAME.test(name) ||
      name.length > 63
    ) {
      out.push({ path: `${path}.${key}`, message: "invalid label key" });
    }
    if (typeof value !== "string")
      out.push({ path: `${path}.${key}`, message: "label values must be strings" });
    else if (!LABEL_VALUE.test(value) || value.length > 63)
      out.push({ path: `${path}.${key}`, message: `invalid label value "${value}"` });
  }
  return out;
}

function containerIssues(body: JsonObject, kind: string): { path: string; message: string }[] {
  const info = kindInfo(String(body.apiVersion), kind);
  if (!info?.isWorkload && kind !== "Job") return [];
  const spec = isObject(body.spec) ? body.spec : undefined;
  if (!spec) return [{ path: "spec", message: "required" }];
  const template = isObject(spec.template) ? spec.template : undefined;
  const podSpec = template && isObject(template.spec) ? template.spec : undefined;
  const containers = podSpec?.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    return [{ path: "spec.template.spec.containers", message: "at least one container is required" }];
  const out: { path: string; message: string }[] = [];
  containers.forEach((c, i) => {
    const at = `spec.template.spec.containers[${i}]`;
    if (!isObject(c)) {
      out.push({ path: at, message: "must be a mapping" });
      return;
    }
    if (typeof c.name !== "string" || !c.name) out.push({ path: `${at}.name`, message: "required" });
    if (typeof c.image !== "string" || !c.image) out.push({ path: `${at}.image`, message: "required" });
  });
  return out;
}

function secretIssues(body: JsonObject): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (body.data !== undefined) {
    if (!isObject(body.data)) out.push({ path: "data", message: "must be a map of base64 strings" });
    else
      for (const [key, value] of Object.entries(body.data)) {
        if (typeof value !== "string" || !BASE64.test(value))
          out.push({ path: `data.${key}`, message: "must be base64 (use stringData for plain text)" });
      }
  }
  if (body.stringData !== undefined) {
    if (!isObject(body.stringData)) out.push({ path: "stringData", message: "must be a map of strings" });
    else
      for (const [key, value] of Object.entries(body.stringData)) {
        if (typeof value !== "string") out.push({ path: `stringData.${key}`, message: "must be a string" });
      }
  }
  return out;
}

interface RawDoc {
  value: unknown;
  document: number;
  line: number | null;
  pathPrefix: string;
}

export function parseManifest(text: string, options: ParseOptions = {}): ParsedManifest {
  const maxBytes = options.maxBytes ?? MAX_MANIFEST_BYTES;
  const maxObjects = options.maxObjects ?? MAX_MANIFEST_OBJECTS;
  const defaultNamespace = options.defaultNamespace ?? "default";
  const bytes = Buffer.byteLength(text, "utf8");
  const issues: ManifestIssue[] = [];
  const objects: ManifestObject[] = [];
  const fail = (issue: Omit<ManifestIssue, "severity">) => issues.push({ ...issue, severity: "error" });
  const warn = (issue: Omit<ManifestIssue, "severity">) => issues.push({ ...issue, severity: "warning" });
  const result = (): ParsedManifest => ({
    objects,
    issues,
    requiredRole: objects.some((o) => needsAdmin(o.apiVersion, o.namespaced)) ? "admin" : "operator",
    bytes,
  });
  if (bytes > maxBytes) {
    fail({
      document: null,
      line: null,
      object: null,
      path: "",
      message: `the manifest is ${bytes} bytes; the limit is ${maxBytes}`,
    });
    return result();
  }
  if (text.trim() === "") {
    fail({ document: null, line: null, object: null, path: "", message: "the manifest is empty" });
    return result();
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const raw: RawDoc[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  list.forEach((doc, i) => {
    const document = i + 1;
    const line = lines.linePos(doc.range[0]).line;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        fail({
          document,
          line: e.linePos?.[0]?.line ?? line,
          object: null,
          path: "",
          message: `YAML syntax: ${e.message.split("\n")[0]}`,
        });
      }
      return;
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) return;
    if (!isMap(doc.contents) && !isObject(value)) {
      fail({
        document,
        line,
        object: null,
        path: "",
        message: "not a Kubernetes object (expected a mapping)",
      });
      return;
    }
    if (isObject(value) && value.kind === "List" && Array.isArray(value.items)) {
      value.items.forEach((item, j) => {
        raw.push({ value: item, document, line, pathPrefix: `items[${j}].` });
      });
      return;
    }
    raw.push({ value, document, line, pathPrefix: "" });
  });
  if (raw.length > maxObjects) {
    fail({
      document: null,
      line: null,
      object: null,
      path: "",
      message: `the manifest has ${raw.length} objects; the limit is ${maxObjects}`,
    });
    return result();
  }
  const seen = new Map<string, number>();
  for (const r of raw) {
    const at = (path: string) => `${r.pathPrefix}${path}`;
    if (!isObject(r.value)) {
      fail({ document: r.document, line: r.line, object: null, path: at(""), message: "not a mapping" });
      continue;
    }
    const body = structuredClone(r.value);
    const problems: { path: string; message: string }[] = [];
    const apiVersion = typeof body.apiVersion === "string" ? body.apiVersion : "";
    const kind = typeof body.kind === "string" ? body.kind : "";
    if (!apiVersion) problems.push({ path: "apiVersion", message: "required" });
    if (!kind) problems.push({ path: "kind", message: "required" });
    const metadata = isObject(body.metadata) ? body.metadata : undefined;
    if (!metadata) problems.push({ path: "metadata", message: "required" });
    const name = typeof metadata?.name === "string" ? metadata.name : "";
    if (metadata && !name) {
      problems.push({
        path: "metadata.name",
        message: metadata.generateName ? "required (generateName cannot be applied repeatedly)" : "required",
      });
    }
    const info = apiVersion && kind ? kindInfo(apiVersion, kind) : undefined;
    const label = kind && name ? `${kind} ${name}` : null;
    if (problems.length > 0) {
      for (const p of problems)
        fail({ document: r.document, line: r.line, object: label, path: at(p.path), message: p.message });
      continue;
    }
    const meta = metadata as JsonObject;
    if (REFUSED_KINDS[kind] && (!info || info.kind === kind)) {
      fail({
        document: r.document,
        line: r.line,
        object: label,
        path: at("kind"),
        message: `${kind} cannot be deployed: ${REFUSED_KINDS[kind]}`,
      });
      continue;
    }
    const namePattern = kind === "Namespace" || kind === "Service" ? DNS_LABEL : DNS_SUBDOMAIN;
    if (!namePattern.test(name) || name.length > (namePattern === DNS_LABEL ? 63 : 253)) {
      problems.push({
        path: "metadata.name",
        message: `"${name}" is not a valid name: lower-case letters, digits and '-'${namePattern === DNS_SUBDOMAIN ? " or '.'" : ""}, starting and ending with a letter or digit`,
      });
    }
    let namespace: string | undefined;
    if (meta.namespace !== undefined) {
      if (typeof meta.namespace !== "string" || !DNS_LABEL.test(meta.namespace))
        problems.push({ path: "metadata.namespace", message: "must be a valid namespace name" });
      else if (info && !info.namespaced)
        problems.push({
          path: "metadata.namespace",
          message: `${kind} is cluster-scoped; remove metadata.namespace`,
        });
      else namespace = meta.namespace;
    } else if (info?.namespaced) namespace = defaultNamespace;
    problems.push(...labelIssues(meta.labels, "metadata.labels"));
    if (kind === "Secret" && groupOf(apiVersion) === "") problems.push(...secretIssues(body));
    problems.push(...containerIssues(body, kind));
    for (const p of problems)
      fail({ document: r.document, line: r.line, object: label, path: at(p.path), message: p.message });
    if (problems.length > 0) continue;
    const objLabel = objectLabel({ kind, namespace, name });
    const stripped: string[] = SERVER_METADATA.filter((f) => meta[f] !== undefined);
    for (const f of stripped) delete meta[f];
    if (body.status !== undefined) {
      delete body.status;
      stripped.push("status");
    }
    if (stripped.length > 0) {
      warn({
        document: r.document,
        line: r.line,
        object: objLabel,
        path: at(""),
        message: `removed fields the cluster sets (${stripped.join(", ")}); was this copied from kubectl get -o yaml?`,
      });
    }
    const labels = isObject(meta.labels) ? meta.labels : {};
    if (labels[DEPLOYMENT_LABEL] !== undefined || labels[MANAGED_BY_LABEL] !== undefined) {
      warn({
        document: r.document,
        line: r.line,
        object: objLabel,
        path: at("metadata.labels"),
        message: `${MANAGED_BY_LABEL} and ${DEPLOYMENT_LABEL} are set by Outpost; the document's values are replaced`,
      });
    }
    if (namespace !== undefined) meta.namespace = namespace;
    if (!info) {
      warn({
        document: r.document,
        line: r.line,
        object: objLabel,
        path: at("kind"),
        message: `${apiVersion} ${kind} is not a built-in kind: each cluster's discovery must serve it (checked at preview), and it needs the admin role until its scope is known`,
      });
    }
    const key = objectKey({ apiVersion, kind, namespace, name });
    const first = seen.get(key);
    if (first !== undefined) {
      fail({
        document: r.document,
        line: r.line,
        object: objLabel,
        path: at("metadata.name"),
        message: `duplicate object: document ${first} already defines ${objLabel}`,
      });
      continue;
    }
    seen.set(key, r.document);
    objects.push({
      apiVersion,
      kind,
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(info ? { namespaced: info.namespaced } : {}),
      body,
      document: r.document,
    });
  }
  if (objects.length === 0 && !issues.some((i) => i.severity === "error")) {
    fail({ document: null, line: null, object: null, path: "", message: "the manifest contains no objects" });
  }
  return result();
}

export function hasErrors(parsed: Pick<ParsedManifest, "issues">): boolean {
  return parsed.issues.some((i) => i.severity === "error");
}
