// meta.k8s.io/v1 Table output, which `kubectl get` and dashboards ask for with
// Accept: application/json;as=Table;v=v1;g=meta.k8s.io. Columns follow the
// apiserver's printers for each kind (priority 1 = the `-o wide` extras).
import type { ResourceDef } from "./resources";
import { isRecord, type JsonRecord, type K8sObject } from "./types";

interface Column {
  name: string;
  type: "string" | "integer" | "date";
  format?: "name";
  priority?: number;
  description: string;
  cell(obj: K8sObject, now: number): string | number;
}

export type IncludeObject = "None" | "Metadata" | "Object";

/** kubectl's HumanDuration, so AGE reads the same as against a real cluster. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ""}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return `${hours}h${minutes % 60 ? `${minutes % 60}m` : ""}`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return `${Math.floor(hours / 24)}d${hours % 24 ? `${hours % 24}h` : ""}`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  const days = Math.floor(hours / 24) - years * 365;
  if (hours < 24 * 365 * 8) return `${years}y${days ? `${days}d` : ""}`;
  return `${years}y`;
}

const rec = (v: unknown): JsonRecord => (isRecord(v) ? v : {});
const arr = (v: unknown): JsonRecord[] => (Array.isArray(v) ? (v.filter(isRecord) as JsonRecord[]) : []);
const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const since = (ts: unknown, now: number): string =>
  typeof ts === "string" && ts ? humanDuration(now - Date.parse(ts)) : "<unknown>";

const nameColumn: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description:
    "Name must be unique within a namespace. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
  cell: (o) => o.metadata.name,
};
const ageColumn: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  cell: (o, now) => since(o.metadata.creationTimestamp, now),
};
const col = (
  name: string,
  cell: Column["cell"],
  opts: { type?: Column["type"]; priority?: number; description?: string } = {},
): Column => ({
  name,
  type: opts.type ?? "string",
  priority: opts.priority ?? 0,
  description: opts.description ?? name,
  cell,
});

function templateContainers(o: K8sObject): JsonRecord[] {
  return arr(rec(rec(rec(o.spec).template).spec).containers);
}
const containersColumn = col(
  "Containers",
  (o) =>
    templateContainers(o)
      .map((c) => String(c.name))
      .join(","),
  {
    priority: 1,
  },
);
const imagesColumn = col(
  "Images",
  (o) =>
    templateContainers(o)
      .map((c) => String(c.image))
      .join(","),
  {
    priority: 1,
  },
);
function selectorText(o: K8sObject): string {
  const labels = rec(rec(rec(o.spec).selector).matchLabels);
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(",");
  return text || "<none>";
}
const selectorColumn = col("Selector", selectorText, { priority: 1 });

function nodeStatus(o: K8sObject): string {
  const ready = arr(rec(o.status).conditions).find((c) => c.type === "Ready");
  const base = ready?.status === "True" ? "Ready" : ready?.status === "False" ? "NotReady" : "Unknown";
  return rec(o.spec).unschedulable === true ? `${base},SchedulingDisabled` : base;
}

function nodeRoles(o: K8sObject): string {
  const roles = Object.keys(o.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length))
    .sort();
  return roles.length > 0 ? roles.join(",") : "<none>";
}

function nodeAddress(o: K8sObject, type: string): string {
  const address = arr(rec(o.status).addresses).find((a) => a.type === type)?.address;
  return typeof address === "string" ? address : "<none>";
}

/** The STATUS column of `kubectl get pods`: the most telling container reason, else the phase. */
export function podStatusText(o: K8sObject): string {
  if (o.metadata.deletionTimestamp) return "Terminating";
  const status = rec(o.status);
  for (const c of arr(status.containerStatuses)) {
    const state = rec(c.state);
    const waiting = rec(state.waiting);
    if (typeof waiting.reason === "string" && waiting.reason) return waiting.reason;
    const terminated = rec(state.terminated);
    if (typeof terminated.reason === "string" && terminated.reason) return terminated.reason;
  }
  return typeof status.phase === "string" ? status.phase : "Unknown";
}

function podReady(o: K8sObject): string {
  const statuses = arr(rec(o.status).containerStatuses);
  const total = arr(rec(o.spec).containers).length;
  return `${statuses.filter((c) => c.ready === true).length}/${total}`;
}

function servicePorts(o: K8sObject): string {
  const ports = arr(rec(o.spec).ports).map(
    (p) => `${num(p.port)}${p.nodePort ? `:${num(p.nodePort)}` : ""}/${String(p.protocol ?? "TCP")}`,
  );
  return ports.length > 0 ? ports.join(",") : "<none>";
}

function serviceExternalIp(o: K8sObject): string {
  const spec = rec(o.spec);
  const ingress = arr(rec(rec(o.status).loadBalancer).ingress)
    .map((i) => i.ip ?? i.hostname)
    .filter((x): x is string => typeof x === "string");
  if (spec.type === "LoadBalancer") return ingress.length > 0 ? ingress.join(",") : "<pending>";
  if (spec.type === "ExternalName") return String(spec.externalName ?? "<none>");
  const external = Array.isArray(spec.externalIPs) ? spec.externalIPs.join(",") : "";
  return external || "<none>";
}

function dataCount(o: K8sObject): number {
  return Object.keys(rec(o.data)).length + Object.keys(rec(o.binaryData)).length;
}

function jobStatus(o: K8sObject): string {
  const conditions = arr(rec(o.status).conditions);
  if (conditions.some((c) => c.type === "Complete" && c.status === "True")) return "Complete";
  if (conditions.some((c) => c.type === "Failed" && c.status === "True")) return "Failed";
  return "Running";
}

const COLUMNS: Record<string, Column[]> = {
  Node: [
    nameColumn,
    col("Status", nodeStatus, { description: "The status of the node" }),
    col("Roles", nodeRoles, { description: "The roles of the node" }),
    ageColumn,
    col("Version", (o) => String(rec(rec(o.status).nodeInfo).kubeletVersion ?? ""), {
      description: "Kubelet Version reported by the node.",
    }),
    col("Internal-IP", (o) => nodeAddress(o, "InternalIP"), { priority: 1 }),
    col("External-IP", (o) => nodeAddress(o, "ExternalIP"), { priority: 1 }),
    col("OS-Image", (o) => String(rec(rec(o.status).nodeInfo).osImage ?? ""), { priority: 1 }),
    col("Kernel-Version", (o) => String(rec(rec(o.status).nodeInfo).kernelVersion ?? ""), { priority: 1 }),
    col("Container-Runtime", (o) => String(rec(rec(o.status).nodeInfo).containerRuntimeVersion ?? ""), {
      priority: 1,
    }),
  ],
  Pod: [
    nameColumn,
    col("Ready", podReady, {
      description: "The aggregate readiness state of this pod for accepting traffic.",
    }),
    col("Status", podStatusText, { description: "The aggregate status of the containers in this pod." }),
    col(
      "Restarts",
      (o) => arr(rec(o.status).containerStatuses).reduce((n, c) => n + num(c.restartCount), 0),
      {
        type: "string",
        description: "The number of times the containers in this pod have been restarted.",
      },
    ),
    ageColumn,
    col("IP", (o) => String(rec(o.status).podIP ?? "<none>"), { priority: 1 }),
    col("Node", (o) => String(rec(o.spec).nodeName ?? "<none>"), { priority: 1 }),
    col("Nominated Node", () => "<none>", { priority: 1 }),
    col("Readiness Gates", () => "<none>", { priority: 1 }),
  ],
  Deployment: [
    nameColumn,
    col("Ready", (o) => `${num(rec(o.status).readyReplicas)}/${num(rec(o.spec).replicas ?? 1)}`),
    col("Up-to-date", (o) => num(rec(o.status).updatedReplicas), { type: "integer" }),
    col("Available", (o) => num(rec(o.status).availableReplicas), { type: "integer" }),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  DaemonSet: [
    nameColumn,
    col("Desired", (o) => num(rec(o.status).desiredNumberScheduled), { type: "integer" }),
    col("Current", (o) => num(rec(o.status).currentNumberScheduled), { type: "integer" }),
    col("Ready", (o) => num(rec(o.status).numberReady), { type: "integer" }),
    col("Up-to-date", (o) => num(rec(o.status).updatedNumberScheduled), { type: "integer" }),
    col("Available", (o) => num(rec(o.status).numberAvailable), { type: "integer" }),
    col("Node Selector", (o) => {
      const sel = rec(rec(rec(rec(o.spec).template).spec).nodeSelector);
      const text = Object.entries(sel)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(",");
      return text || "<none>";
    }),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  StatefulSet: [
    nameColumn,
    col("Ready", (o) => `${num(rec(o.status).readyReplicas)}/${num(rec(o.spec).replicas ?? 1)}`),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
  ReplicaSet: [
    nameColumn,
    col("Desired", (o) => num(rec(o.spec).replicas), { type: "integer" }),
    col("Current", (o) => num(rec(o.status).replicas), { type: "integer" }),
    col("Ready", (o) => num(rec(o.status).readyReplicas), { type: "integer" }),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  Service: [
    nameColumn,
    col("Type", (o) => String(rec(o.spec).type ?? "ClusterIP")),
    col("Cluster-IP", (o) => String(rec(o.spec).clusterIP ?? "<none>")),
    col("External-IP", serviceExternalIp),
    col("Port(s)", servicePorts),
    ageColumn,
    col(
      "Selector",
      (o) =>
        Object.entries(rec(rec(o.spec).selector))
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(",") || "<none>",
      { priority: 1 },
    ),
  ],
  ConfigMap: [nameColumn, col("Data", dataCount, { type: "integer" }), ageColumn],
  Secret: [
    nameColumn,
    col("Type", (o) => String(o.type ?? "Opaque")),
    col("Data", dataCount, { type: "integer" }),
    ageColumn,
  ],
  Namespace: [
    nameColumn,
    col("Status", (o) => String(rec(o.status).phase ?? "Active"), {
      description: "The status of the namespace",
    }),
    ageColumn,
  ],
  ServiceAccount: [nameColumn, col("Secrets", (o) => arr(o.secrets).length, { type: "integer" }), ageColumn],
  Event: [
    col("Last Seen", (o, now) => since(o.lastTimestamp ?? o.metadata.creationTimestamp, now)),
    col("Type", (o) => String(o.type ?? "")),
    col("Reason", (o) => String(o.reason ?? "")),
    col("Object", (o) => {
      const inv = rec(o.involvedObject);
      return `${String(inv.kind ?? "").toLowerCase()}/${String(inv.name ?? "")}`;
    }),
    col("Message", (o) => String(o.message ?? "")),
    col("Source", (o) => String(rec(o.source).component ?? ""), { priority: 1 }),
    col("Count", (o) => num(o.count), { type: "integer", priority: 1 }),
    { ...nameColumn, priority: 1 },
  ],
  Lease: [nameColumn, col("Holder", (o) => String(rec(o.spec).holderIdentity ?? "")), ageColumn],
  Job: [
    nameColumn,
    col("Status", jobStatus),
    col("Completions", (o) => `${num(rec(o.status).succeeded)}/${num(rec(o.spec).completions ?? 1)}`),
    col("Duration", (o, now) => {
      const status = rec(o.status);
      if (typeof status.startTime !== "string") return "";
      const end = typeof status.completionTime === "string" ? Date.parse(status.completionTime) : now;
      return humanDuration(end - Date.parse(status.startTime));
    }),
    ageColumn,
  ],
  Role: [nameColumn, col("Created At", (o) => String(o.metadata.creationTimestamp ?? ""), { type: "date" })],
  ClusterRole: [
    nameColumn,
    col("Created At", (o) => String(o.metadata.creationTimestamp ?? ""), { type: "date" }),
  ],
  RoleBinding: [
    nameColumn,
    col("Role", (o) => `${String(rec(o.roleRef).kind)}/${String(rec(o.roleRef).name)}`),
    ageColumn,
  ],
  ClusterRoleBinding: [
    nameColumn,
    col("Role", (o) => `${String(rec(o.roleRef).kind)}/${String(rec(o.roleRef).name)}`),
    ageColumn,
  ],
  CustomResourceDefinition: [
    nameColumn,
    col("Created At", (o) => String(o.metadata.creationTimestamp ?? ""), { type: "date" }),
  ],
  // helm-controller's CRD printer columns
  HelmChart: [
    nameColumn,
    col("Job", (o) => String(rec(o.status).jobName ?? "")),
    col("Chart", (o) => String(rec(o.spec).chart ?? "")),
    col("TargetNamespace", (o) => String(rec(o.spec).targetNamespace ?? "")),
    col("Version", (o) => String(rec(o.spec).version ?? "")),
    col("Repo", (o) => String(rec(o.spec).repo ?? "")),
    col("HelmVersion", (o) => String(rec(o.spec).helmVersion ?? "")),
    col("Bootstrap", (o) => String(rec(o.spec).bootstrap ?? "")),
    ageColumn,
  ],
};

function columnsFor(def: ResourceDef): Column[] {
  return COLUMNS[def.kind] ?? [nameColumn, ageColumn];
}

function partialMetadata(obj: K8sObject): object {
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata };
}

export function toTable(
  def: ResourceDef,
  objects: K8sObject[],
  listMeta: JsonRecord,
  now: number,
  include: IncludeObject,
): object {
  const columns = columnsFor(def);
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? "",
      description: c.description,
      priority: c.priority ?? 0,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      ...(include === "None" ? {} : { object: include === "Object" ? o : partialMetadata(o) }),
    })),
  };
}

export type ListRepresentation = "Table" | "PartialObjectMetadata" | "json";

/**
 * Reads the Accept header the way the apiserver negotiates: the first acceptable
 * entry wins; `as=Table` and `as=PartialObjectMetadata(List)` need g=meta.k8s.io and v1 (or v1beta1).
 * Returns undefined when nothing offered can be served (406).
 */
export function negotiate(accept: string | undefined): ListRepresentation | undefined {
  if (!accept || accept.trim() === "") return "json";
  for (const raw of accept.split(",")) {
    const [media, ...paramParts] = raw.split(";").map((p) => p.trim());
    const params = Object.fromEntries(
      paramParts.map((p) => {
        const [k, v] = p.split("=");
        return [k?.trim() ?? "", (v ?? "").trim()];
      }),
    );
    const isJson = media === "application/json" || media === "*/*" || media === "application/*";
    if (!isJson) continue;
    if (!params.as) return "json";
    const isMeta = params.g === "meta.k8s.io" && (params.v === "v1" || params.v === "v1beta1");
    if (!isMeta) continue;
    if (params.as === "Table") return "Table";
    if (params.as === "PartialObjectMetadata" || params.as === "PartialObjectMetadataList")
      return "PartialObjectMetadata";
  }
  return undefined;
}

export function toPartialList(objects: K8sObject[], listMeta: JsonRecord): object {
  return {
    kind: "PartialObjectMetadataList",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    items: objects.map(partialMetadata),
  };
}
