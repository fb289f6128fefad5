// The API surface the simulator serves, in the shape discovery documents need.
export interface ResourceDef {
  group: string;
  version: string;
  /** plural resource name used in paths */
  name: string;
  singularName: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** served from live computation rather than the store (metrics) */
  isVirtual?: boolean;
  /** whether spec changes bump metadata.generation */
  hasGeneration?: boolean;
  /** served with a /status subresource (writes to the main resource keep the stored status) */
  hasStatus?: boolean;
  /** served with a /scale subresource */
  hasScale?: boolean;
}

const RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const RO = ["get", "list"];

export const RESOURCES: ResourceDef[] = [
  {
    group: "",
    version: "v1",
    name: "namespaces",
    singularName: "namespace",
    kind: "Namespace",
    namespaced: false,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["ns"],
    hasStatus: true,
  },
  {
    group: "",
    version: "v1",
    name: "nodes",
    singularName: "node",
    kind: "Node",
    namespaced: false,
    verbs: RW,
    shortNames: ["no"],
    hasStatus: true,
  },
  {
    group: "",
    version: "v1",
    name: "pods",
    singularName: "pod",
    kind: "Pod",
    namespaced: true,
    verbs: RW,
    shortNames: ["po"],
    categories: ["all"],
    hasStatus: true,
  },
  {
    group: "",
    version: "v1",
    name: "events",
    singularName: "event",
    kind: "Event",
    namespaced: true,
    verbs: RW,
    shortNames: ["ev"],
  },
  {
    group: "",
    version: "v1",
    name: "services",
    singularName: "service",
    kind: "Service",
    namespaced: true,
    verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
    shortNames: ["svc"],
    categories: ["all"],
    hasStatus: true,
  },
  {
    group: "",
    version: "v1",
    name: "configmaps",
    singularName: "configmap",
    kind: "ConfigMap",
    namespaced: true,
    verbs: RW,
    shortNames: ["cm"],
  },
  {
    group: "apps",
    version: "v1",
    name: "deployments",
    singularName: "deployment",
    kind: "Deployment",
    namespaced: true,
    verbs: RW,
    shortNames: ["deploy"],
    categories: ["all"],
    hasGeneration: true,
    hasStatus: true,
    hasScale: true,
  },
  {
    group: "apps",
    version: "v1",
    name: "daemonsets",
    singularName: "daemonset",
    kind: "DaemonSet",
    namespaced: true,
    verbs: RW,
    shortNames: ["ds"],
    categories: ["all"],
    hasGeneration: true,
    hasStatus: true,
  },
  {
    group: "apps",
    version: "v1",
    name: "statefulsets",
    singularName: "statefulset",
    kind: "StatefulSet",
    namespaced: true,
    verbs: RW,
    shortNames: ["sts"],
    categories: ["all"],
    hasGeneration: true,
    hasStatus: true,
    hasScale: true,
  },
  {
    group: "apps",
    version: "v1",
    name: "replicasets",
    singularName: "replicaset",
    kind: "ReplicaSet",
    namespaced: true,
    verbs: RW,
    shortNames: ["rs"],
    categories: ["all"],
    hasGeneration: true,
    hasStatus: true,
    hasScale: true,
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    name: "leases",
    singularName: "lease",
    kind: "Lease",
    namespaced: true,
    verbs: RW,
  },
  {
    group: "helm.cattle.io",
    version: "v1",
    name: "helmcharts",
    singularName: "helmchart",
    kind: "HelmChart",
    namespaced: true,
    verbs: RW,
    hasGeneration: true,
    hasStatus: true,
  },
  {
    group: "helm.cattle.io",
    version: "v1",
    name: "helmchartconfigs",
    singularName: "helmchartconfig",
    kind: "HelmChartConfig",
    namespaced: true,
    verbs: RW,
    hasGeneration: true,
  },
  {
    group: "",
    version: "v1",
    name: "secrets",
    singularName: "secret",
    kind: "Secret",
    namespaced: true,
    verbs: RW,
  },
  {
    group: "",
    version: "v1",
    name: "serviceaccounts",
    singularName: "serviceaccount",
    kind: "ServiceAccount",
    namespaced: true,
    verbs: RW,
    shortNames: ["sa"],
  },
  {
    group: "batch",
    version: "v1",
    name: "jobs",
    singularName: "job",
    kind: "Job",
    namespaced: true,
    verbs: RW,
    categories: ["all"],
    hasGeneration: true,
    hasStatus: true,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    name: "roles",
    singularName: "role",
    kind: "Role",
    namespaced: true,
    verbs: RW,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    name: "rolebindings",
    singularName: "rolebinding",
    kind: "RoleBinding",
    namespaced: true,
    verbs: RW,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    name: "clusterroles",
    singularName: "clusterrole",
    kind: "ClusterRole",
    namespaced: false,
    verbs: RW,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    name: "clusterrolebindings",
    singularName: "clusterrolebinding",
    kind: "ClusterRoleBinding",
    namespaced: false,
    verbs: RW,
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    name: "customresourcedefinitions",
    singularName: "customresourcedefinition",
    kind: "CustomResourceDefinition",
    namespaced: false,
    verbs: RW,
    shortNames: ["crd", "crds"],
    hasGeneration: true,
    hasStatus: true,
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    name: "nodes",
    singularName: "",
    kind: "NodeMetrics",
    namespaced: false,
    verbs: RO,
    isVirtual: true,
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    name: "pods",
    singularName: "",
    kind: "PodMetrics",
    namespaced: true,
    verbs: RO,
    isVirtual: true,
  },
];

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** Key of the store table; metrics live beside core nodes/pods so the group matters. */
export function resourceKey(def: ResourceDef): string {
  return `${def.group}/${def.name}`;
}

export function findResource(group: string, version: string, name: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.name === name);
}

export function findByKind(apiVersion: string, kind: string): ResourceDef | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function resourceList(group: string, version: string): object | undefined {
  const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (defs.length === 0) return undefined;
  const resources: object[] = [];
  for (const d of defs) {
    resources.push({
      name: d.name,
      singularName: d.singularName,
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: d.verbs,
      ...(d.shortNames ? { shortNames: d.shortNames } : {}),
      ...(d.categories ? { categories: d.categories } : {}),
      ...(d.isVirtual ? {} : { storageVersionHash: storageHash(d) }),
    });
    if (d.isVirtual) continue;
    if (d.hasStatus) {
      resources.push({
        name: `${d.name}/status`,
        singularName: "",
        namespaced: d.namespaced,
        kind: d.kind,
        verbs: ["get", "patch", "update"],
      });
    }
    if (d.hasScale) {
      resources.push({
        name: `${d.name}/scale`,
        singularName: "",
        namespaced: true,
        group: "autoscaling",
        version: "v1",
        kind: "Scale",
        verbs: ["get", "patch", "update"],
      });
    }
  }
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

function storageHash(d: ResourceDef): string {
  let h = 0;
  for (const ch of `${d.group}/${d.version}/${d.kind}`) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return Buffer.from(h.toString(16).padStart(8, "0")).toString("base64").slice(0, 11);
}
