// Rollback pruning: objects the newer revision added and the older one does not
// have are deleted — but only objects that carry this deployment's labels, so
// Outpost never deletes something it did not create. Pure.
import { applyOrder } from "./kinds";
import {
  DEPLOYMENT_LABEL,
  isObject,
  type JsonObject,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  objectKey,
} from "./manifest";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** What to delete when going from `from` to `to`: in `from` only, in reverse apply order (workloads before their config). */
export function pruneSet(from: ObjectRef[], to: ObjectRef[]): ObjectRef[] {
  const keep = new Set(to.map(objectKey));
  return from
    .filter((o) => !keep.has(objectKey(o)))
    .sort((a, b) => applyOrder(b.apiVersion, b.kind) - applyOrder(a.apiVersion, a.kind));
}

/** The live object is ours to delete: managed by Outpost for this deployment. */
export function isPrunable(live: JsonObject | undefined, deploymentName: string): boolean {
  if (!live) return false;
  const labels = isObject(live.metadata) && isObject(live.metadata.labels) ? live.metadata.labels : {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[DEPLOYMENT_LABEL] === deploymentName;
}
