// Patch flavours and server-side-apply field ownership.
// Field paths use the FieldsV1 vocabulary ("f:spec", `k:{"name":"app"}`) so the
// managedFields the simulator returns look like the apiserver's and can be read back.
import { ApiError, badRequest } from "./errors";
import { clone, isRecord, type JsonRecord, type ManagedFieldsEntry } from "./types";

export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const result: JsonRecord = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = jsonMergePatch(result[key], value);
  }
  return result;
}

function mergeKeyOf(items: unknown[]): string | undefined {
  if (items.length === 0 || !items.every(isRecord)) return undefined;
  for (const key of ["name", "containerPort", "mountPath", "ip", "type"]) {
    if (items.every((i) => isRecord(i) && i[key] !== undefined)) return key;
  }
  return undefined;
}

/** Strategic merge patch, enough for workloads: lists of named objects merge by key. */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const key = mergeKeyOf(patch);
    if (!key || !Array.isArray(target) || mergeKeyOf(target) !== key) return clone(patch);
    const result = target.map((item) => clone(item)) as JsonRecord[];
    for (const item of patch as JsonRecord[]) {
      const index = result.findIndex((r) => r[key] === item[key]);
      if (item.$patch === "delete") {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) {
        result[index] = strategicMergePatch(result[index], item) as JsonRecord;
      } else {
        result.push(clone(item));
      }
    }
    return result;
  }
  if (!isRecord(patch)) return clone(patch);
  const result: JsonRecord = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder")) continue;
    if (value === null) delete result[key];
    else result[key] = strategicMergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  return path
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest("json patch must be an array of operations");
  const doc = { root: clone(target) } as JsonRecord;
  for (const raw of ops as JsonPatchOp[]) {
    const parts = ["root", ...pointer(raw.path)];
    const last = parts.pop() as string;
    let parent: unknown = doc;
    for (const p of parts) {
      parent = Array.isArray(parent) ? parent[Number(p)] : isRecord(parent) ? parent[p] : undefined;
      if (parent === undefined) throw new ApiError(422, "Invalid", `doc is missing path: "${raw.path}"`);
    }
    if (raw.op === "test") {
      const current = Array.isArray(parent) ? parent[Number(last)] : (parent as JsonRecord)[last];
      if (JSON.stringify(current) !== JSON.stringify(raw.value)) {
        throw new ApiError(422, "Invalid", `testing value ${raw.path} failed`);
      }
      continue;
    }
    if (Array.isArray(parent)) {
      const index = last === "-" ? parent.length : Number(last);
      if (raw.op === "add") parent.splice(index, 0, clone(raw.value));
      else if (raw.op === "replace") parent[index] = clone(raw.value);
      else if (raw.op === "remove") parent.splice(index, 1);
      else throw badRequest(`unsupported json patch op "${raw.op}"`);
    } else if (isRecord(parent)) {
      if (raw.op === "add" || raw.op === "replace") parent[last] = clone(raw.value);
      else if (raw.op === "remove") {
        if (!(last in parent))
          throw new ApiError(422, "Invalid", `unable to remove nonexistent key: ${last}`);
        delete parent[last];
      } else throw badRequest(`unsupported json patch op "${raw.op}"`);
    }
  }
  return doc.root;
}

// ---- managed fields -------------------------------------------------------

/** A field path as FieldsV1 segments, joined with "\u0000" when used as a set member. */
type FieldPath = string[];
const SEP = "\u0000";

const IGNORED_METADATA = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "managedFields",
  "deletionTimestamp",
  "selfLink",
]);

function keyedSegment(item: JsonRecord, key: string): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

/** Leaf paths of an object, skipping identity and status as the apiserver does for the main resource. */
export function leafPaths(obj: unknown, prefix: FieldPath = [], isRoot = true): FieldPath[] {
  const out: FieldPath[] = [];
  if (!isRecord(obj)) return out;
  for (const [key, value] of Object.entries(obj)) {
    if (isRoot && (key === "apiVersion" || key === "kind" || key === "status")) continue;
    if (prefix.length === 1 && prefix[0] === "f:metadata" && IGNORED_METADATA.has(key)) continue;
    const path = [...prefix, `f:${key}`];
    if (isRecord(value) && Object.keys(value).length > 0) {
      out.push(...leafPaths(value, path, false));
    } else if (Array.isArray(value) && mergeKeyOf(value)) {
      const mk = mergeKeyOf(value) as string;
      for (const item of value as JsonRecord[]) {
        out.push(...leafPaths(item, [...path, keyedSegment(item, mk)], false));
      }
    } else {
      out.push(path);
    }
  }
  return out;
}

function valueAt(obj: unknown, path: FieldPath): unknown {
  let current: unknown = obj;
  for (const seg of path) {
    if (seg.startsWith("f:")) {
      if (!isRecord(current)) return undefined;
      current = current[seg.slice(2)];
    } else if (seg.startsWith("k:")) {
      if (!Array.isArray(current)) return undefined;
      const key = JSON.parse(seg.slice(2)) as JsonRecord;
      const [k, v] = Object.entries(key)[0] ?? [];
      current = current.find((i) => isRecord(i) && k !== undefined && i[k] === v);
    }
  }
  return current;
}

function removeAt(obj: unknown, path: FieldPath): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = valueAt(obj, parentPath);
  if (last?.startsWith("f:") && isRecord(parent)) delete parent[last.slice(2)];
}

function removeKeyedItem(obj: unknown, path: FieldPath): void {
  const list = valueAt(obj, path.slice(0, -1));
  const seg = path[path.length - 1] ?? "";
  if (!Array.isArray(list)) return;
  const [k, v] = Object.entries(JSON.parse(seg.slice(2)) as JsonRecord)[0] ?? [];
  const index = list.findIndex((i) => isRecord(i) && k !== undefined && i[k] === v);
  if (index >= 0) list.splice(index, 1);
}

export function toFieldsV1(paths: FieldPath[]): JsonRecord {
  const root: JsonRecord = {};
  for (const path of paths) {
    let node = root;
    for (const seg of path) {
      const child = (node[seg] as JsonRecord | undefined) ?? {};
      if (seg.startsWith("k:")) child["."] = {};
      node[seg] = child;
      node = child;
    }
  }
  return root;
}

export function fromFieldsV1(fields: unknown, prefix: FieldPath = []): FieldPath[] {
  const out: FieldPath[] = [];
  if (!isRecord(fields)) return out;
  for (const [seg, child] of Object.entries(fields)) {
    if (seg === ".") continue;
    const path = [...prefix, seg];
    const nested = fromFieldsV1(child, path);
    if (nested.length === 0) out.push(path);
    else out.push(...nested);
  }
  return out;
}

function changedPaths(before: unknown, after: unknown): FieldPath[] {
  const beforeValues = new Map(
    leafPaths(before).map((p) => [p.join(SEP), JSON.stringify(valueAt(before, p))]),
  );
  return leafPaths(after).filter((p) => beforeValues.get(p.join(SEP)) !== JSON.stringify(valueAt(after, p)));
}

function entryPaths(entry: ManagedFieldsEntry): Set<string> {
  return new Set(fromFieldsV1(entry.fieldsV1).map((p) => p.join(SEP)));
}

function toEntry(
  manager: string,
  operation: "Apply" | "Update",
  apiVersion: string,
  time: string,
  paths: Set<string>,
): ManagedFieldsEntry {
  return {
    manager,
    operation,
    apiVersion,
    time,
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1([...paths].map((p) => p.split(SEP))),
  };
}

/** Records an Update-style write: changed fields move to `manager`. */
export function recordUpdate(
  before: JsonRecord | undefined,
  after: JsonRecord,
  manager: string,
  apiVersion: string,
  time: string,
): ManagedFieldsEntry[] {
  const metadata = (before?.metadata ?? {}) as { managedFields?: ManagedFieldsEntry[] };
  const entries = (metadata.managedFields ?? []).map((e) => ({ entry: e, paths: entryPaths(e) }));
  const changed = changedPaths(before ?? {}, after).map((p) => p.join(SEP));
  if (changed.length === 0) return metadata.managedFields ?? [];
  for (const e of entries) for (const p of changed) e.paths.delete(p);
  let mine = entries.find((e) => e.entry.manager === manager && e.entry.operation === "Update");
  if (!mine) {
    mine = { entry: toEntry(manager, "Update", apiVersion, time, new Set()), paths: new Set() };
    entries.push(mine);
  }
  for (const p of changed) mine.paths.add(p);
  return entries
    .filter((e) => e.paths.size > 0)
    .map((e) =>
      e === mine || changed.length > 0
        ? toEntry(
            e.entry.manager,
            e.entry.operation,
            e.entry.apiVersion,
            e === mine ? time : e.entry.time,
            e.paths,
          )
        : e.entry,
    );
}

export interface ApplyResult {
  object: JsonRecord;
  managedFields: ManagedFieldsEntry[];
}

/**
 * Server-side apply of `applied` onto `live` by `manager`.
 * Throws a 409 naming the other managers when they own a field this apply would change, unless forced.
 */
export function serverSideApply(
  live: JsonRecord | undefined,
  applied: JsonRecord,
  manager: string,
  apiVersion: string,
  time: string,
  isForce: boolean,
): ApplyResult {
  const appliedPaths = leafPaths(applied);
  const appliedSet = new Set(appliedPaths.map((p) => p.join(SEP)));
  const liveMeta = (live?.metadata ?? {}) as { managedFields?: ManagedFieldsEntry[] };
  const entries = (liveMeta.managedFields ?? []).map((e) => ({ entry: e, paths: entryPaths(e) }));
  const isMine = (e: ManagedFieldsEntry) => e.manager === manager && e.operation === "Apply";

  const conflicts: { manager: string; apiVersion: string; field: string }[] = [];
  for (const path of appliedPaths) {
    const k = path.join(SEP);
    const isSame = JSON.stringify(valueAt(live, path)) === JSON.stringify(valueAt(applied, path));
    if (isSame) continue;
    for (const e of entries) {
      if (isMine(e.entry) || !e.paths.has(k)) continue;
      if (isForce) e.paths.delete(k);
      else
        conflicts.push({
          manager: e.entry.manager,
          apiVersion: e.entry.apiVersion,
          field: displayPath(path),
        });
    }
  }
  if (conflicts.length > 0) {
    const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`);
    const message =
      conflicts.length === 1
        ? `Apply failed with 1 conflict: ${lines[0]}`
        : `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
    throw new ApiError(409, "Conflict", message, {
      causes: conflicts.map((c) => ({
        reason: "FieldManagerConflict",
        message: `conflict with "${c.manager}" using ${c.apiVersion}`,
        field: c.field,
      })),
    });
  }

  const merged = strategicMergePatch(live ?? {}, applied) as JsonRecord;
  const previous = entries.find((e) => isMine(e.entry));
  if (previous) {
    const ownedByOthers = new Set(entries.filter((e) => e !== previous).flatMap((e) => [...e.paths]));
    const dropped = [...previous.paths].filter((p) => !appliedSet.has(p) && !ownedByOthers.has(p));
    for (const p of dropped) {
      const path = p.split(SEP);
      const keyedIndex = path.findLastIndex((s) => s.startsWith("k:"));
      const itemPrefix = keyedIndex >= 0 ? path.slice(0, keyedIndex + 1).join(SEP) : undefined;
      const isItemAbandoned =
        itemPrefix !== undefined &&
        ![...appliedSet, ...ownedByOthers].some((q) => q.startsWith(itemPrefix + SEP) || q === itemPrefix);
      if (isItemAbandoned) removeKeyedItem(merged, path.slice(0, keyedIndex + 1));
      else removeAt(merged, path);
    }
  }
  const result = entries.filter((e) => e !== previous);
  result.unshift({ entry: toEntry(manager, "Apply", apiVersion, time, appliedSet), paths: appliedSet });
  return {
    object: merged,
    managedFields: result
      .filter((e) => e.paths.size > 0)
      .map((e) =>
        e.entry.manager === manager && e.entry.operation === "Apply"
          ? e.entry
          : toEntry(e.entry.manager, e.entry.operation, e.entry.apiVersion, e.entry.time, e.paths),
      ),
  };
}

function displayPath(path: FieldPath): string {
  return path
    .map((seg) =>
      seg.startsWith("f:")
        ? `.${seg.slice(2)}`
        : `[${seg
            .slice(2)
            .replace(/^\{"(\w+)":/, "$1=")
            .replace(/\}$/, "")}]`,
    )
    .join("");
}
