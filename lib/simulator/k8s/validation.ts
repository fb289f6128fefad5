// What the apiserver checks on every write (and dry run): field validation
// against the schema (unknown fields, wrong types), decoding rules (Secret data
// is base64), and object validation (422 Invalid with one cause per field).
import { badRequest, invalid, type StatusCause } from "./errors";
import type { ResourceDef } from "./resources";
import { checkFields, DEFINITIONS, definitionFor } from "./schema";
import { isRecord, type JsonRecord, type K8sObject } from "./types";

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const WORKLOAD_KINDS = new Set(["Deployment", "DaemonSet", "StatefulSet", "ReplicaSet"]);
/** DNS-1035 label: what Service names must be */
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export type FieldValidation = "Ignore" | "Warn" | "Strict";

export function fieldValidationOf(raw: string | null): FieldValidation {
  if (raw === null || raw === "") return "Warn";
  if (raw === "Ignore" || raw === "Warn" || raw === "Strict") return raw;
  throw badRequest(
    `fieldValidation parameter has invalid value "${raw}". Valid values are Ignore, Warn, Strict`,
  );
}

const GO_TYPES: Record<string, string> = {
  string: "string",
  integer: "int32",
  number: "float64",
  boolean: "bool",
  array: "[]interface {}",
  object: "map[string]interface {}",
};

/**
 * Checks `obj` against its kind's schema. Unknown fields are removed (Ignore, Warn) and
 * returned as Warning texts (Warn), or refused (Strict). Wrong types are refused always:
 * built-in kinds as a 400 decoding error, custom resources as 422 Invalid, like the apiserver.
 */
export function checkObjectFields(
  def: ResourceDef,
  obj: JsonRecord,
  mode: FieldValidation,
  isApply: boolean,
): string[] {
  const name = definitionFor(def.group, def.version, def.kind);
  const schema = name ? DEFINITIONS[name] : undefined;
  if (!schema) return [];
  const problems = checkFields(schema, obj, "", mode !== "Strict");
  const wrongType = problems.filter((p) => p.kind === "type");
  if (wrongType.length > 0) {
    const first = wrongType[0] as (typeof wrongType)[number];
    if (def.group === "helm.cattle.io") {
      throw invalid(
        def,
        String(((obj.metadata ?? {}) as JsonRecord).name ?? ""),
        wrongType.map((p) => ({
          reason: "FieldValueTypeInvalid",
          message: `Invalid value: "${p.found}": ${p.path} in body must be of type ${p.expected}: "${p.found}"`,
          field: p.path,
        })),
      );
    }
    throw badRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: json: cannot unmarshal ${first.found} into Go struct field ${first.path} of type ${GO_TYPES[first.expected ?? ""] ?? first.expected}`,
    );
  }
  const unknown = problems.filter((p) => p.kind === "unknown");
  if (unknown.length === 0 || mode === "Ignore") return [];
  if (mode === "Strict") {
    const message = isApply
      ? unknown.map((p) => `.${p.path}: field not declared in schema`).join(", ")
      : `strict decoding error: ${unknown.map((p) => `unknown field "${p.path}"`).join(", ")}`;
    throw badRequest(message);
  }
  return unknown.map((p) => `unknown field "${p.path}"`);
}

/** Secret `stringData` is write-only: merged into base64 `data`; bad base64 fails decoding. */
export function normalizeSecret(def: ResourceDef, obj: K8sObject): void {
  if (def.kind !== "Secret") return;
  const data = isRecord(obj.data) ? (obj.data as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string" || !BASE64.test(value)) {
      throw badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0 (key "${key}")`,
      );
    }
  }
  if (isRecord(obj.stringData)) {
    for (const [key, value] of Object.entries(obj.stringData))
      data[key] = Buffer.from(String(value), "utf8").toString("base64");
    delete obj.stringData;
  }
  if (Object.keys(data).length > 0) obj.data = data;
}

function checkMetadata(obj: K8sObject, causes: StatusCause[]): void {
  for (const [key, value] of Object.entries(obj.metadata.labels ?? {})) {
    const [prefix, nameRaw] = key.includes("/") ? key.split("/", 2) : [undefined, key];
    const name = nameRaw ?? "";
    if ((prefix !== undefined && !DNS_SUBDOMAIN.test(prefix)) || !LABEL_NAME.test(name) || name.length > 63) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        field: "metadata.labels",
      });
    }
    if (typeof value !== "string" || !LABEL_VALUE.test(value) || value.length > 63) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${String(value)}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        field: `metadata.labels`,
      });
    }
  }
}

function checkPodSpec(
  podSpec: JsonRecord | undefined,
  field: string,
  causes: StatusCause[],
  kind: string,
): void {
  const containers = podSpec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${field}.containers` });
    return;
  }
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    const rec = isRecord(c) ? c : {};
    const at = `${field}.containers[${i}]`;
    if (!rec.name)
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${at}.name` });
    else if (typeof rec.name !== "string" || !DNS_LABEL.test(rec.name)) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${String(rec.name)}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
        field: `${at}.name`,
      });
    } else if (seen.has(rec.name)) {
      causes.push({
        reason: "FieldValueDuplicate",
        message: `Duplicate value: "${rec.name}"`,
        field: `${at}.name`,
      });
    } else seen.add(rec.name);
    if (!rec.image)
      causes.push({ reason: "FieldValueRequired", message: "Required value", field: `${at}.image` });
    if (Array.isArray(rec.ports)) {
      rec.ports.forEach((p, j) => {
        const port = isRecord(p) ? p.containerPort : undefined;
        if (typeof port !== "number" || port < 1 || port > 65535) {
          causes.push({
            reason: "FieldValueInvalid",
            message: `Invalid value: ${String(port)}: must be between 1 and 65535, inclusive`,
            field: `${at}.ports[${j}].containerPort`,
          });
        }
      });
    }
  });
  if (kind === "Job") {
    const policy = podSpec?.restartPolicy;
    if (policy !== "Never" && policy !== "OnFailure") {
      causes.push({
        reason: "FieldValueNotSupported",
        message: `Unsupported value: "${String(policy)}": supported values: "OnFailure", "Never"`,
        field: `${field}.restartPolicy`,
      });
    }
  }
}

function checkDataKeys(obj: K8sObject, causes: StatusCause[]): void {
  for (const field of ["data", "binaryData", "stringData"]) {
    const data = obj[field];
    if (!isRecord(data)) continue;
    for (const key of Object.keys(data)) {
      if (!CONFIG_KEY.test(key) || key.length > 253) {
        causes.push({
          reason: "FieldValueInvalid",
          message: `Invalid value: "${key}": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`,
          field: `${field}[${key}]`,
        });
      }
    }
  }
}

function checkService(spec: JsonRecord, causes: StatusCause[]): void {
  const ports = spec.ports;
  const isHeadless = spec.clusterIP === "None";
  if (spec.type !== "ExternalName" && !isHeadless && (!Array.isArray(ports) || ports.length === 0)) {
    causes.push({ reason: "FieldValueRequired", message: "Required value", field: "spec.ports" });
  }
  if (!Array.isArray(ports)) return;
  ports.forEach((p, i) => {
    const port = isRecord(p) ? p.port : undefined;
    if (typeof port !== "number" || port < 1 || port > 65535) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${String(port)}: must be between 1 and 65535, inclusive`,
        field: `spec.ports[${i}].port`,
      });
    }
    if (ports.length > 1 && isRecord(p) && !p.name) {
      causes.push({
        reason: "FieldValueRequired",
        message: "Required value",
        field: `spec.ports[${i}].name`,
      });
    }
  });
}

/** Object validation: 422 Invalid naming every bad field. `before` enables immutability rules on updates. */
export function validateObject(def: ResourceDef, obj: K8sObject, before?: K8sObject): void {
  const causes: StatusCause[] = [];
  const name = obj.metadata.name;
  const pattern = def.kind === "Namespace" ? DNS_LABEL : def.kind === "Service" ? DNS_1035 : DNS_SUBDOMAIN;
  if (!name) {
    causes.push({
      reason: "FieldValueRequired",
      message: "Required value: name or generateName is required",
      field: "metadata.name",
    });
  } else if (!pattern.test(name) || name.length > (pattern === DNS_SUBDOMAIN ? 253 : 63)) {
    const what =
      pattern === DNS_SUBDOMAIN
        ? "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
        : pattern === DNS_1035
          ? "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
          : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    causes.push({
      reason: "FieldValueInvalid",
      message: `Invalid value: "${name}": ${what}`,
      field: "metadata.name",
    });
  }
  checkMetadata(obj, causes);
  const spec = (isRecord(obj.spec) ? obj.spec : {}) as JsonRecord;
  if (def.kind === "Pod") checkPodSpec(spec, "spec", causes, def.kind);
  if (WORKLOAD_KINDS.has(def.kind) || def.kind === "Job") {
    const template = (spec.template ?? {}) as JsonRecord;
    if (def.kind !== "Job") {
      const selector = (spec.selector as JsonRecord | undefined)?.matchLabels as
        | Record<string, string>
        | undefined;
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
      if (
        before &&
        JSON.stringify((before.spec as JsonRecord | undefined)?.selector) !== JSON.stringify(spec.selector)
      ) {
        causes.push({
          reason: "FieldValueInvalid",
          message: `Invalid value: ${JSON.stringify(spec.selector)}: field is immutable`,
          field: "spec.selector",
        });
      }
    }
    checkPodSpec(template.spec as JsonRecord | undefined, "spec.template.spec", causes, def.kind);
    if (typeof spec.replicas === "number" && spec.replicas < 0) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
        field: "spec.replicas",
      });
    }
  }
  if (def.kind === "Service") {
    checkService(spec, causes);
    const beforeIp = (before?.spec as JsonRecord | undefined)?.clusterIP;
    if (beforeIp !== undefined && spec.clusterIP !== undefined && spec.clusterIP !== beforeIp) {
      causes.push({
        reason: "FieldValueInvalid",
        message: `Invalid value: "${String(spec.clusterIP)}": field is immutable`,
        field: "spec.clusterIP",
      });
    }
  }
  if (def.kind === "ConfigMap" || def.kind === "Secret") checkDataKeys(obj, causes);
  if ((def.kind === "ConfigMap" || def.kind === "Secret") && before?.immutable === true) {
    if (JSON.stringify(before.data) !== JSON.stringify(obj.data)) {
      causes.push({
        reason: "FieldValueForbidden",
        message: "Forbidden: field is immutable when `immutable` is set",
        field: "data",
      });
    }
  }
  if ((def.kind === "RoleBinding" || def.kind === "ClusterRoleBinding") && !isRecord(obj.roleRef)) {
    causes.push({ reason: "FieldValueRequired", message: "Required value", field: "roleRef" });
  }
  if (causes.length > 0) throw invalid(def, name || "", causes);
}
