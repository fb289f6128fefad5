// Field-level differences between two versions of one object (live vs the
// dry-run result, or revision vs revision), and the conflicts named by a 409
// from server-side apply. Pure. Secret values never appear in the output.
import { createHmac, randomBytes } from "node:crypto";
import { isObject, type JsonObject } from "./manifest";

export type ChangeKind = "added" | "removed" | "changed";

export interface FieldChange {
  /** "spec.template.spec.containers[name=app].image" */
  path: string;
  kind: ChangeKind;
  /** display values: JSON text, or HIDDEN for secret values */
  before?: string;
  after?: string;
}

export const HIDDEN = "(hidden)";

/** Fields the server owns; they differ between any two reads and say nothing about the desired state. */
const IGNORED_METADATA = new Set([
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "selfLink",
  "deletionTimestamp",
]);
const IGNORED_ANNOTATIONS = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
]);

const MAX_VALUE_CHARS = 200;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? "null";
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function listKey(items: unknown[]): string | undefined {
  if (items.length === 0 || !items.every(isObject)) return undefined;
  for (const key of ["name", "containerPort", "port", "mountPath", "key", "type"]) {
    const values = items.map((i) => (i as JsonObject)[key]);
    if (values.every((v) => v !== undefined) && new Set(values.map(String)).size === values.length)
      return key;
  }
  return undefined;
}

/** The parts of an object a diff looks at: no status, no server-owned metadata. */
export function comparable(obj: JsonObject): JsonObject {
  const { status: _status, metadata, ...rest } = obj;
  if (!isObject(metadata)) return rest;
  const meta: JsonObject = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (IGNORED_METADATA.has(k)) continue;
    if (k === "annotations" && isObject(v)) {
      const kept = Object.fromEntries(Object.entries(v).filter(([a]) => !IGNORED_ANNOTATIONS.has(a)));
      if (Object.keys(kept).length > 0) meta.annotations = kept;
      continue;
    }
    meta[k] = v;
  }
  return { ...rest, metadata: meta };
}

function isSecretValuePath(isSecret: boolean, path: string): boolean {
  return isSecret && /^(data|stringData)\./.test(path);
}

function walk(
  before: unknown,
  after: unknown,
  path: string,
  out: FieldChange[],
  isSecret: boolean,
  limit: number,
): void {
  if (out.length >= limit) return;
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const mask = (v: unknown) => (isSecretValuePath(isSecret, path) ? HIDDEN : show(v));
  if (before === undefined) {
    out.push({ path, kind: "added", after: mask(after) });
    return;
  }
  if (after === undefined) {
    out.push({ path, kind: "removed", before: mask(before) });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(before[k], after[k], path ? `${path}.${k}` : k, out, isSecret, limit);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const key = listKey(before) && listKey(before) === listKey(after) ? listKey(before) : undefined;
    if (key) {
      const byKey = (items: unknown[]) => new Map(items.map((i) => [String((i as JsonObject)[key]), i]));
      const b = byKey(before);
      const a = byKey(after);
      for (const k of [...new Set([...b.keys(), ...a.keys()])])
        walk(b.get(k), a.get(k), `${path}[${key}=${k}]`, out, isSecret, limit);
      return;
    }
    if (before.length === after.length) {
      before.forEach((item, i) => {
        walk(item, after[i], `${path}[${i}]`, out, isSecret, limit);
      });
      return;
    }
  }
  out.push({ path, kind: "changed", before: mask(before), after: mask(after) });
}

const MASK_PREFIX = "outpost-hidden:";
const MASKED = new RegExp(`${MASK_PREFIX}[A-Za-z0-9_-]+`, "g");

/**
 * A Secret with every data/stringData value replaced by a keyed digest (a fresh key per diff):
 * equal values still compare equal within this diff, and no value, nor a hash one could
 * brute-force, ever reaches the output.
 */
function maskSecret(obj: JsonObject | undefined, key: Buffer): JsonObject | undefined {
  if (!obj) return obj;
  const out = structuredClone(obj);
  for (const field of ["data", "stringData"]) {
    const map = out[field];
    if (!isObject(map)) continue;
    for (const [k, v] of Object.entries(map)) {
      // data is base64 of the value, stringData the value: compare the values themselves
      const plain = field === "data" ? Buffer.from(String(v), "base64").toString("utf8") : String(v);
      map[k] = `${MASK_PREFIX}${createHmac("sha256", key).update(plain).digest("base64url")}`;
    }
  }
  return out;
}

export interface DiffOptions {
  /** stop after this many changes (a page shows the first ones; the count says there are more) */
  limit?: number;
}

/** What changes when `before` becomes `after`, in path order. */
export function fieldDiff(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  options: DiffOptions = {},
): FieldChange[] {
  const limit = options.limit ?? 500;
  const out: FieldChange[] = [];
  const kind = String((after ?? before)?.kind ?? "");
  const isSecret = kind === "Secret";
  let a = before ? comparable(before) : undefined;
  let b = after ? comparable(after) : undefined;
  if (isSecret) {
    const key = randomBytes(32);
    a = maskSecret(a, key);
    b = maskSecret(b, key);
  }
  walk(a, b, "", out, isSecret, limit);
  const clean = (v: string | undefined) => (v === undefined ? v : v.replace(MASKED, HIDDEN));
  return out.map((c) => ({
    ...c,
    path: c.path === "" ? "(object)" : c.path,
    ...(c.before !== undefined ? { before: clean(c.before) } : {}),
    ...(c.after !== undefined ? { after: clean(c.after) } : {}),
  }));
}

export interface FieldConflict {
  field: string;
  /** the other field manager, as the API server named it */
  manager: string;
  message: string;
}

interface StatusLike {
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

/** The fields and the other managers from a server-side apply 409 (causes with FieldManagerConflict). */
export function conflictsOf(status: StatusLike): FieldConflict[] {
  const causes = status.details?.causes ?? [];
  return causes
    .filter((c) => c.reason === "FieldManagerConflict")
    .map((c) => ({
      field: c.field ?? "",
      manager: /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? "another manager",
      message: c.message ?? "",
    }));
}
