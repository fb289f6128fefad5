// Label and field selectors with the semantics and error wording of the apiserver.
export type LabelRequirement =
  | { op: "exists" | "notexists"; key: string }
  | { op: "in" | "notin"; key: string; values: string[] };

export class SelectorError extends Error {}

function splitTopLevel(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of input) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new SelectorError(`unable to parse requirement: invalid label key "${key}"`);
  return key;
}

export function parseLabelSelector(input: string | null | undefined): LabelRequirement[] {
  if (!input) return [];
  return splitTopLevel(input).map((term): LabelRequirement => {
    const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (setMatch) {
      const values = (setMatch[3] ?? "")
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      return { op: setMatch[2] === "in" ? "in" : "notin", key: checkKey(setMatch[1] ?? ""), values };
    }
    const eqMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (eqMatch) {
      const key = checkKey(eqMatch[1] ?? "");
      const value = eqMatch[3] ?? "";
      return { op: eqMatch[2] === "!=" ? "notin" : "in", key, values: [value] };
    }
    if (term.startsWith("!")) return { op: "notexists", key: checkKey(term.slice(1).trim()) };
    if (/^\S+$/.test(term)) return { op: "exists", key: checkKey(term) };
    throw new SelectorError(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=`);
  });
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string> | undefined,
): boolean {
  for (const req of requirements) {
    const value = labels?.[req.key];
    switch (req.op) {
      case "exists":
        if (value === undefined) return false;
        break;
      case "notexists":
        if (value !== undefined) return false;
        break;
      case "in":
        if (value === undefined || !req.values.includes(value)) return false;
        break;
      case "notin":
        if (value !== undefined && req.values.includes(value)) return false;
        break;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: string;
  value: string;
  isNegated: boolean;
}

const COMMON_FIELDS = ["metadata.name", "metadata.namespace"];
const FIELDS_BY_KIND: Record<string, string[]> = {
  Pod: [
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
  ],
  Event: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  Node: ["spec.unschedulable"],
  Namespace: ["status.phase"],
};

export function parseFieldSelector(input: string | null | undefined, kind: string): FieldRequirement[] {
  if (!input) return [];
  const allowed = [...COMMON_FIELDS, ...(FIELDS_BY_KIND[kind] ?? [])];
  return input
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((term) => {
      const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
      if (!m) throw new SelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
      const field = (m[1] ?? "").trim();
      if (!allowed.includes(field)) throw new SelectorError(`field label not supported: ${field}`);
      return { field, value: (m[3] ?? "").trim(), isNegated: m[2] === "!=" };
    });
}

function fieldValue(obj: Record<string, unknown>, field: string): string {
  if (field === "source") {
    const source = (obj.source ?? {}) as Record<string, unknown>;
    return String(source.component ?? "");
  }
  let current: unknown = obj;
  for (const part of field.split(".")) {
    if (current === null || typeof current !== "object") return "";
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return field === "spec.unschedulable" ? "false" : "";
  return String(current);
}

export function matchesFields(requirements: FieldRequirement[], obj: Record<string, unknown>): boolean {
  for (const req of requirements) {
    const isEqual = fieldValue(obj, req.field) === req.value;
    if (isEqual === req.isNegated) return false;
  }
  return true;
}
