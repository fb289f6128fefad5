// One cluster's object database: a monotonically increasing resourceVersion,
// a bounded event history for watch resumption, and the live watchers.
import { randomUUID } from "node:crypto";
import type { ResourceDef } from "./resources";
import { resourceKey } from "./resources";
import { type FieldRequirement, type LabelRequirement, matchesFields, matchesLabels } from "./selectors";
import { isoTime, type K8sObject } from "./types";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoredEvent {
  rv: number;
  key: string;
  type: WatchEventType;
  object: K8sObject;
  previous?: K8sObject;
}

export interface Watcher {
  key: string;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  send(type: WatchEventType, object: K8sObject): void;
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

export function matchesWatcher(
  w: { namespace?: string; labels: LabelRequirement[]; fields: FieldRequirement[] },
  obj: K8sObject,
): boolean {
  if (w.namespace && obj.metadata.namespace !== w.namespace) return false;
  return matchesLabels(w.labels, obj.metadata.labels) && matchesFields(w.fields, obj);
}

export class ClusterStore {
  private rv: number;
  private readonly tables = new Map<string, Map<string, K8sObject>>();
  private readonly history: StoredEvent[] = [];
  /** events at or below this version are gone from history */
  private compactedRv: number;
  readonly watchers = new Set<Watcher>();

  constructor(
    startRv: number,
    private readonly historyLimit: number,
    private readonly now: () => number,
  ) {
    this.rv = startRv;
    this.compactedRv = startRv;
  }

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResumableRv(): number {
    return this.compactedRv;
  }

  table(def: ResourceDef | string): Map<string, K8sObject> {
    const key = typeof def === "string" ? def : resourceKey(def);
    let t = this.tables.get(key);
    if (!t) {
      t = new Map();
      this.tables.set(key, t);
    }
    return t;
  }

  get(def: ResourceDef, namespace: string | undefined, name: string): K8sObject | undefined {
    return this.table(def).get(objectKey(def.namespaced ? namespace : undefined, name));
  }

  list(def: ResourceDef, namespace?: string): K8sObject[] {
    const items = [...this.table(def).values()];
    const filtered = namespace ? items.filter((o) => o.metadata.namespace === namespace) : items;
    return filtered.sort((a, b) =>
      objectKey(a.metadata.namespace, a.metadata.name).localeCompare(
        objectKey(b.metadata.namespace, b.metadata.name),
      ),
    );
  }

  /** Seeds an object without emitting an event (initial cluster content). */
  seed(def: ResourceDef, obj: K8sObject): K8sObject {
    this.rv++;
    this.compactedRv = this.rv;
    this.stamp(def, obj, this.rv);
    this.table(def).set(objectKey(obj.metadata.namespace, obj.metadata.name), obj);
    return obj;
  }

  create(def: ResourceDef, obj: K8sObject): K8sObject {
    const rv = ++this.rv;
    this.stamp(def, obj, rv);
    this.table(def).set(objectKey(obj.metadata.namespace, obj.metadata.name), obj);
    this.emit({ rv, key: resourceKey(def), type: "ADDED", object: obj });
    return obj;
  }

  update(def: ResourceDef, obj: K8sObject): K8sObject {
    const k = objectKey(obj.metadata.namespace, obj.metadata.name);
    const previous = this.table(def).get(k);
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    this.table(def).set(k, obj);
    this.emit({ rv, key: resourceKey(def), type: "MODIFIED", object: obj, previous });
    return obj;
  }

  delete(def: ResourceDef, namespace: string | undefined, name: string): K8sObject | undefined {
    const k = objectKey(def.namespaced ? namespace : undefined, name);
    const existing = this.table(def).get(k);
    if (!existing) return undefined;
    this.table(def).delete(k);
    const rv = ++this.rv;
    const tombstone: K8sObject = {
      ...existing,
      metadata: { ...existing.metadata, resourceVersion: String(rv) },
    };
    this.emit({ rv, key: resourceKey(def), type: "DELETED", object: tombstone });
    return tombstone;
  }

  /** Forgets history so start-up churn neither costs memory nor replays to watchers. */
  compactAll(): void {
    this.history.length = 0;
    this.compactedRv = this.rv;
  }

  /** Events after `rv` for one resource, or undefined when `rv` is older than the history. */
  eventsSince(key: string, rv: number): StoredEvent[] | undefined {
    if (rv < this.compactedRv) return undefined;
    return this.history.filter((e) => e.rv > rv && e.key === key);
  }

  private stamp(def: ResourceDef, obj: K8sObject, rv: number): void {
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= isoTime(this.now());
    obj.metadata.resourceVersion = String(rv);
    if (def.hasGeneration || obj.metadata.generation !== undefined) obj.metadata.generation ??= 1;
  }

  private emit(event: StoredEvent): void {
    this.history.push(event);
    if (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compactedRv = dropped.rv;
    }
    for (const w of this.watchers) {
      if (w.key !== event.key) continue;
      deliver(w, event);
    }
  }
}

/** Selector transitions turn MODIFIED into ADDED/DELETED for the watcher, as the apiserver does. */
export function deliver(w: Watcher, event: StoredEvent): void {
  const isMatch = matchesWatcher(w, event.object);
  if (event.type !== "MODIFIED") {
    if (isMatch) w.send(event.type, event.object);
    return;
  }
  const wasMatch = event.previous ? matchesWatcher(w, event.previous) : false;
  if (isMatch && wasMatch) w.send("MODIFIED", event.object);
  else if (isMatch) w.send("ADDED", event.object);
  else if (wasMatch) w.send("DELETED", event.object);
}
