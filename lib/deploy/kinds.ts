// What Outpost knows about Kubernetes kinds without asking a cluster: scope,
// resource path, whether only an admin may deploy it, and the order objects are
// applied in (a namespace before what lives in it, config before the workloads
// that mount it). Kinds outside this table are checked against each cluster's
// discovery at preview time.

export interface KindInfo {
  group: string;
  kind: string;
  /** plural resource name in API paths */
  plural: string;
  namespaced: boolean;
  /** lower applies first */
  order: number;
  /** workloads the health gate follows and a restart can target */
  isWorkload?: boolean;
}

const K = (
  group: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  order: number,
  isWorkload = false,
): KindInfo => ({ group, kind, plural, namespaced, order, ...(isWorkload ? { isWorkload } : {}) });

export const KNOWN_KINDS: readonly KindInfo[] = [
  K("", "Namespace", "namespaces", false, 0),
  K("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", false, 1),
  K("", "ServiceAccount", "serviceaccounts", true, 2),
  K("", "Secret", "secrets", true, 3),
  K("", "ConfigMap", "configmaps", true, 4),
  K("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", false, 5),
  K("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", false, 6),
  K("rbac.authorization.k8s.io", "Role", "roles", true, 7),
  K("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", true, 8),
  K("", "Service", "services", true, 9),
  K("apps", "DaemonSet", "daemonsets", true, 10, true),
  K("apps", "Deployment", "deployments", true, 11, true),
  K("apps", "StatefulSet", "statefulsets", true, 12, true),
  K("batch", "Job", "jobs", true, 13),
  K("helm.cattle.io", "HelmChartConfig", "helmchartconfigs", true, 14),
  K("helm.cattle.io", "HelmChart", "helmcharts", true, 15),
];

/** Kinds Outpost refuses to manage: owned by the cluster itself or by controllers. */
export const REFUSED_KINDS: Readonly<Record<string, string>> = {
  Node: "nodes belong to the cluster, not to a deployment",
  Event: "events are written by the cluster",
  Lease: "leases are written by controllers",
  ReplicaSet: "ReplicaSets are managed by Deployments; deploy the Deployment",
  Pod: "bare pods are not restarted when they die; deploy a Deployment, DaemonSet or StatefulSet",
  Binding: "bindings are written by the scheduler",
  ComponentStatus: "read-only",
};

const RBAC_GROUP = "rbac.authorization.k8s.io";

export function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? (apiVersion.split("/")[0] ?? "") : "";
}

export function versionOf(apiVersion: string): string {
  return apiVersion.includes("/") ? (apiVersion.split("/")[1] ?? "") : apiVersion;
}

export function kindInfo(apiVersion: string, kind: string): KindInfo | undefined {
  const group = groupOf(apiVersion);
  return KNOWN_KINDS.find((k) => k.group === group && k.kind === kind);
}

/** Cluster-scoped objects and RBAC change what everyone on the cluster may do: admin only. */
export function needsAdmin(apiVersion: string, namespaced: boolean | undefined): boolean {
  if (groupOf(apiVersion) === RBAC_GROUP) return true;
  // Unknown scope (a kind only discovery can tell about): treat as cluster-scoped until proven otherwise.
  return namespaced !== true;
}

export function applyOrder(apiVersion: string, kind: string): number {
  return kindInfo(apiVersion, kind)?.order ?? 50;
}

/** The API path of a collection, e.g. /apis/apps/v1/namespaces/pos/deployments. */
export function collectionPath(apiVersion: string, plural: string, namespace: string | undefined): string {
  const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`;
}

export function objectPath(
  apiVersion: string,
  plural: string,
  namespace: string | undefined,
  name: string,
): string {
  return `${collectionPath(apiVersion, plural, namespace)}/${encodeURIComponent(name)}`;
}
