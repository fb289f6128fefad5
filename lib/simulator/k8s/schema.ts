// The object schemas of the kinds the simulator serves, in one compact form.
// Two consumers: the OpenAPI v2/v3 documents (openapi.ts), which clients such as
// kubectl read to validate before they send, and server-side field validation
// (unknown fields are dropped with a Warning, or refused with fieldValidation=Strict).
// Deep parts that the simulator never interprets (affinity, probes, volume
// sources, status) are free-form so a valid manifest never draws a false warning.

export type Schema =
  | { type: "string"; format?: "byte" | "date-time" | "int-or-string" | "quantity"; enum?: string[] }
  | { type: "integer"; format?: "int32" | "int64" }
  | { type: "number" }
  | { type: "boolean" }
  | { type: "object"; properties: Record<string, Schema>; required?: string[]; description?: string }
  | { type: "map"; values: Schema }
  | { type: "array"; items: Schema; mergeKey?: string; listMapKeys?: string[] }
  | { type: "free" }
  | { ref: string };

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const str = (): Schema => ({ type: "string" });
const int = (): Schema => ({ type: "integer", format: "int32" });
const int64 = (): Schema => ({ type: "integer", format: "int64" });
const bool = (): Schema => ({ type: "boolean" });
const free = (): Schema => ({ type: "free" });
const ref = (name: string): Schema => ({ ref: name });
const strMap = (): Schema => ({ type: "map", values: str() });
const strList = (): Schema => ({ type: "array", items: str() });
const obj = (properties: Record<string, Schema>, required?: string[]): Schema => ({
  type: "object",
  properties,
  ...(required ? { required } : {}),
});
const list = (items: Schema, mergeKey?: string): Schema => ({
  type: "array",
  items,
  ...(mergeKey ? { mergeKey, listMapKeys: [mergeKey] } : {}),
});

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";
const CORE = "io.k8s.api.core.v1";
const APPS = "io.k8s.api.apps.v1";
const TIME = `${META}.Time`;
const QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

/** Top-level shape shared by every served object. */
const kindFields = (spec?: Schema, extra: Record<string, Schema> = {}): Record<string, Schema> => ({
  apiVersion: str(),
  kind: str(),
  metadata: ref(`${META}.ObjectMeta`),
  ...(spec ? { spec } : {}),
  status: free(),
  ...extra,
});

const container = obj(
  {
    args: strList(),
    command: strList(),
    env: list(obj({ name: str(), value: str(), valueFrom: free() }, ["name"]), "name"),
    envFrom: list(free()),
    image: str(),
    imagePullPolicy: { type: "string", enum: ["Always", "IfNotPresent", "Never"] },
    lifecycle: free(),
    livenessProbe: free(),
    name: str(),
    ports: list(
      obj(
        {
          containerPort: int(),
          hostIP: str(),
          hostPort: int(),
          name: str(),
          protocol: { type: "string", enum: ["SCTP", "TCP", "UDP"] },
        },
        ["containerPort"],
      ),
      "containerPort",
    ),
    readinessProbe: free(),
    resizePolicy: list(free()),
    resources: obj({
      claims: list(free()),
      limits: { type: "map", values: ref(QUANTITY) },
      requests: { type: "map", values: ref(QUANTITY) },
    }),
    restartPolicy: str(),
    securityContext: free(),
    startupProbe: free(),
    stdin: bool(),
    stdinOnce: bool(),
    terminationMessagePath: str(),
    terminationMessagePolicy: str(),
    tty: bool(),
    volumeDevices: list(free()),
    volumeMounts: list(
      obj(
        {
          mountPath: str(),
          mountPropagation: str(),
          name: str(),
          readOnly: bool(),
          recursiveReadOnly: str(),
          subPath: str(),
          subPathExpr: str(),
        },
        ["name", "mountPath"],
      ),
      "mountPath",
    ),
    workingDir: str(),
  },
  ["name"],
);

const podSpec = obj(
  {
    activeDeadlineSeconds: int64(),
    affinity: free(),
    automountServiceAccountToken: bool(),
    containers: list(ref(`${CORE}.Container`), "name"),
    dnsConfig: free(),
    dnsPolicy: str(),
    enableServiceLinks: bool(),
    ephemeralContainers: list(free()),
    hostAliases: list(free()),
    hostIPC: bool(),
    hostNetwork: bool(),
    hostPID: bool(),
    hostUsers: bool(),
    hostname: str(),
    imagePullSecrets: list(obj({ name: str() }), "name"),
    initContainers: list(ref(`${CORE}.Container`), "name"),
    nodeName: str(),
    nodeSelector: strMap(),
    os: free(),
    overhead: { type: "map", values: ref(QUANTITY) },
    preemptionPolicy: str(),
    priority: int(),
    priorityClassName: str(),
    readinessGates: list(free()),
    resourceClaims: list(free()),
    resources: free(),
    restartPolicy: { type: "string", enum: ["Always", "Never", "OnFailure"] },
    runtimeClassName: str(),
    schedulerName: str(),
    schedulingGates: list(free()),
    securityContext: free(),
    serviceAccount: str(),
    serviceAccountName: str(),
    setHostnameAsFQDN: bool(),
    shareProcessNamespace: bool(),
    subdomain: str(),
    terminationGracePeriodSeconds: int64(),
    tolerations: list(free()),
    topologySpreadConstraints: list(free()),
    volumes: list(free(), "name"),
  },
  ["containers"],
);

const labelSelector = obj({
  matchExpressions: list(obj({ key: str(), operator: str(), values: strList() }, ["key", "operator"])),
  matchLabels: strMap(),
});

const policyRule = obj(
  {
    apiGroups: strList(),
    nonResourceURLs: strList(),
    resourceNames: strList(),
    resources: strList(),
    verbs: strList(),
  },
  ["verbs"],
);
const subject = obj({ apiGroup: str(), kind: str(), name: str(), namespace: str() }, ["kind", "name"]);
const roleRef = obj({ apiGroup: str(), kind: str(), name: str() }, ["apiGroup", "kind", "name"]);

/** helm.cattle.io/v1 HelmChart as k3s's helm-controller declares it (structural CRD schema). */
const helmChartSpec = obj({
  authPassCredentials: bool(),
  authSecret: free(),
  backOffLimit: int(),
  bootstrap: bool(),
  chart: str(),
  chartContent: str(),
  createNamespace: bool(),
  dockerRegistrySecret: free(),
  failurePolicy: str(),
  helmVersion: str(),
  insecureSkipTLSVerify: bool(),
  jobImage: str(),
  plainHTTP: bool(),
  podSecurityContext: free(),
  repo: str(),
  repoCA: str(),
  repoCAConfigMap: free(),
  securityContext: free(),
  set: { type: "map", values: ref(INT_OR_STRING) },
  targetNamespace: str(),
  timeout: str(),
  valuesContent: str(),
  valuesSecrets: list(free()),
  version: str(),
});

export const DEFINITIONS: Record<string, Schema> = {
  [TIME]: { type: "string", format: "date-time" },
  [QUANTITY]: { type: "string", format: "quantity" },
  [INT_OR_STRING]: { type: "string", format: "int-or-string" },
  [`${META}.ObjectMeta`]: obj({
    annotations: strMap(),
    creationTimestamp: ref(TIME),
    deletionGracePeriodSeconds: int64(),
    deletionTimestamp: ref(TIME),
    finalizers: strList(),
    generateName: str(),
    generation: int64(),
    labels: strMap(),
    managedFields: list(free()),
    name: str(),
    namespace: str(),
    ownerReferences: list(
      obj(
        {
          apiVersion: str(),
          blockOwnerDeletion: bool(),
          controller: bool(),
          kind: str(),
          name: str(),
          uid: str(),
        },
        ["apiVersion", "kind", "name", "uid"],
      ),
      "uid",
    ),
    resourceVersion: str(),
    selfLink: str(),
    uid: str(),
  }),
  [`${META}.LabelSelector`]: labelSelector,
  [`${CORE}.Container`]: container,
  [`${CORE}.PodSpec`]: podSpec,
  [`${CORE}.PodTemplateSpec`]: obj({ metadata: ref(`${META}.ObjectMeta`), spec: ref(`${CORE}.PodSpec`) }),
  [`${CORE}.Pod`]: obj(kindFields(ref(`${CORE}.PodSpec`))),
  [`${CORE}.Namespace`]: obj(kindFields(obj({ finalizers: strList() }))),
  [`${CORE}.Node`]: obj(
    kindFields(
      obj({
        configSource: free(),
        externalID: str(),
        podCIDR: str(),
        podCIDRs: strList(),
        providerID: str(),
        taints: list(free()),
        unschedulable: bool(),
      }),
    ),
  ),
  [`${CORE}.Service`]: obj(
    kindFields(
      obj({
        allocateLoadBalancerNodePorts: bool(),
        clusterIP: str(),
        clusterIPs: strList(),
        externalIPs: strList(),
        externalName: str(),
        externalTrafficPolicy: str(),
        healthCheckNodePort: int(),
        internalTrafficPolicy: str(),
        ipFamilies: strList(),
        ipFamilyPolicy: str(),
        loadBalancerClass: str(),
        loadBalancerIP: str(),
        loadBalancerSourceRanges: strList(),
        ports: list(
          obj(
            {
              appProtocol: str(),
              name: str(),
              nodePort: int(),
              port: int(),
              protocol: { type: "string", enum: ["SCTP", "TCP", "UDP"] },
              targetPort: ref(INT_OR_STRING),
            },
            ["port"],
          ),
          "port",
        ),
        publishNotReadyAddresses: bool(),
        selector: strMap(),
        sessionAffinity: str(),
        sessionAffinityConfig: free(),
        trafficDistribution: str(),
        type: { type: "string", enum: ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"] },
      }),
    ),
  ),
  [`${CORE}.ConfigMap`]: obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    data: strMap(),
    binaryData: { type: "map", values: { type: "string", format: "byte" } },
    immutable: bool(),
  }),
  [`${CORE}.Secret`]: obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    data: { type: "map", values: { type: "string", format: "byte" } },
    stringData: strMap(),
    type: str(),
    immutable: bool(),
  }),
  [`${CORE}.ServiceAccount`]: obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    automountServiceAccountToken: bool(),
    imagePullSecrets: list(obj({ name: str() }), "name"),
    secrets: list(free()),
  }),
  [`${CORE}.Event`]: obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    action: str(),
    count: int(),
    eventTime: free(),
    firstTimestamp: ref(TIME),
    involvedObject: free(),
    lastTimestamp: ref(TIME),
    message: str(),
    reason: str(),
    related: free(),
    reportingComponent: str(),
    reportingInstance: str(),
    series: free(),
    source: free(),
    type: str(),
  }),
  [`${APPS}.Deployment`]: obj(
    kindFields(
      obj(
        {
          minReadySeconds: int(),
          paused: bool(),
          progressDeadlineSeconds: int(),
          replicas: int(),
          revisionHistoryLimit: int(),
          selector: ref(`${META}.LabelSelector`),
          strategy: obj({
            rollingUpdate: obj({ maxSurge: ref(INT_OR_STRING), maxUnavailable: ref(INT_OR_STRING) }),
            type: { type: "string", enum: ["Recreate", "RollingUpdate"] },
          }),
          template: ref(`${CORE}.PodTemplateSpec`),
        },
        ["selector", "template"],
      ),
    ),
  ),
  [`${APPS}.DaemonSet`]: obj(
    kindFields(
      obj(
        {
          minReadySeconds: int(),
          revisionHistoryLimit: int(),
          selector: ref(`${META}.LabelSelector`),
          template: ref(`${CORE}.PodTemplateSpec`),
          updateStrategy: obj({
            rollingUpdate: obj({ maxSurge: ref(INT_OR_STRING), maxUnavailable: ref(INT_OR_STRING) }),
            type: { type: "string", enum: ["OnDelete", "RollingUpdate"] },
          }),
        },
        ["selector", "template"],
      ),
    ),
  ),
  [`${APPS}.StatefulSet`]: obj(
    kindFields(
      obj(
        {
          minReadySeconds: int(),
          ordinals: free(),
          persistentVolumeClaimRetentionPolicy: free(),
          podManagementPolicy: str(),
          replicas: int(),
          revisionHistoryLimit: int(),
          selector: ref(`${META}.LabelSelector`),
          serviceName: str(),
          template: ref(`${CORE}.PodTemplateSpec`),
          updateStrategy: free(),
          volumeClaimTemplates: list(free()),
        },
        ["selector", "template"],
      ),
    ),
  ),
  [`${APPS}.ReplicaSet`]: obj(
    kindFields(
      obj(
        {
          minReadySeconds: int(),
          replicas: int(),
          selector: ref(`${META}.LabelSelector`),
          template: ref(`${CORE}.PodTemplateSpec`),
        },
        ["selector"],
      ),
    ),
  ),
  "io.k8s.api.batch.v1.Job": obj(
    kindFields(
      obj(
        {
          activeDeadlineSeconds: int64(),
          backoffLimit: int(),
          backoffLimitPerIndex: int(),
          completionMode: str(),
          completions: int(),
          managedBy: str(),
          manualSelector: bool(),
          maxFailedIndexes: int(),
          parallelism: int(),
          podFailurePolicy: free(),
          podReplacementPolicy: str(),
          selector: ref(`${META}.LabelSelector`),
          successPolicy: free(),
          suspend: bool(),
          template: ref(`${CORE}.PodTemplateSpec`),
          ttlSecondsAfterFinished: int(),
        },
        ["template"],
      ),
    ),
  ),
  "io.k8s.api.coordination.v1.Lease": obj(
    kindFields(
      obj({
        acquireTime: free(),
        holderIdentity: str(),
        leaseDurationSeconds: int(),
        leaseTransitions: int(),
        preferredHolder: str(),
        renewTime: free(),
        strategy: str(),
      }),
    ),
  ),
  "io.k8s.api.rbac.v1.Role": obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    rules: list(policyRule),
  }),
  "io.k8s.api.rbac.v1.ClusterRole": obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    aggregationRule: free(),
    rules: list(policyRule),
  }),
  "io.k8s.api.rbac.v1.RoleBinding": obj(
    { apiVersion: str(), kind: str(), metadata: ref(`${META}.ObjectMeta`), roleRef, subjects: list(subject) },
    ["roleRef"],
  ),
  "io.k8s.api.rbac.v1.ClusterRoleBinding": obj(
    { apiVersion: str(), kind: str(), metadata: ref(`${META}.ObjectMeta`), roleRef, subjects: list(subject) },
    ["roleRef"],
  ),
  "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition": obj(
    kindFields(free()),
  ),
  "io.cattle.helm.v1.HelmChart": obj(kindFields(helmChartSpec)),
  "io.cattle.helm.v1.HelmChartConfig": obj(
    kindFields(obj({ failurePolicy: str(), valuesContent: str(), valuesSecrets: list(free()) })),
  ),
  "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics": obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    timestamp: ref(TIME),
    window: str(),
    usage: { type: "map", values: ref(QUANTITY) },
  }),
  "io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics": obj({
    apiVersion: str(),
    kind: str(),
    metadata: ref(`${META}.ObjectMeta`),
    timestamp: ref(TIME),
    window: str(),
    containers: list(free()),
  }),
};

/** Definition name of each served kind, keyed by "group/version/Kind". */
export const KIND_DEFINITIONS: Record<string, string> = {
  "/v1/Pod": `${CORE}.Pod`,
  "/v1/Namespace": `${CORE}.Namespace`,
  "/v1/Node": `${CORE}.Node`,
  "/v1/Service": `${CORE}.Service`,
  "/v1/ConfigMap": `${CORE}.ConfigMap`,
  "/v1/Secret": `${CORE}.Secret`,
  "/v1/ServiceAccount": `${CORE}.ServiceAccount`,
  "/v1/Event": `${CORE}.Event`,
  "apps/v1/Deployment": `${APPS}.Deployment`,
  "apps/v1/DaemonSet": `${APPS}.DaemonSet`,
  "apps/v1/StatefulSet": `${APPS}.StatefulSet`,
  "apps/v1/ReplicaSet": `${APPS}.ReplicaSet`,
  "batch/v1/Job": "io.k8s.api.batch.v1.Job",
  "coordination.k8s.io/v1/Lease": "io.k8s.api.coordination.v1.Lease",
  "rbac.authorization.k8s.io/v1/Role": "io.k8s.api.rbac.v1.Role",
  "rbac.authorization.k8s.io/v1/ClusterRole": "io.k8s.api.rbac.v1.ClusterRole",
  "rbac.authorization.k8s.io/v1/RoleBinding": "io.k8s.api.rbac.v1.RoleBinding",
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": "io.k8s.api.rbac.v1.ClusterRoleBinding",
  "apiextensions.k8s.io/v1/CustomResourceDefinition":
    "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
  "helm.cattle.io/v1/HelmChart": "io.cattle.helm.v1.HelmChart",
  "helm.cattle.io/v1/HelmChartConfig": "io.cattle.helm.v1.HelmChartConfig",
  "metrics.k8s.io/v1beta1/NodeMetrics": "io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics",
  "metrics.k8s.io/v1beta1/PodMetrics": "io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics",
};

export function definitionFor(group: string, version: string, kind: string): string | undefined {
  return KIND_DEFINITIONS[`${group}/${version}/${kind}`];
}

export function resolve(schema: Schema): Exclude<Schema, { ref: string }> {
  let current = schema;
  for (let i = 0; i < 10 && "ref" in current; i++) {
    const next = DEFINITIONS[current.ref];
    if (!next) return { type: "free" };
    current = next;
  }
  return current as Exclude<Schema, { ref: string }>;
}

export interface FieldProblem {
  /** dotted path as the apiserver prints it ("spec.template.spec.containers[0].imagee") */
  path: string;
  kind: "unknown" | "type";
  /** for type problems: the JSON type found and the type expected */
  found?: string;
  expected?: string;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

/**
 * Walks `value` against `schema`, reporting unknown fields and wrong types, and
 * removing unknown fields in place when `prune` is set (what the apiserver does
 * before storing an object sent with fieldValidation Ignore or Warn).
 */
export function checkFields(schema: Schema, value: unknown, path: string, prune: boolean): FieldProblem[] {
  const s = resolve(schema);
  const problems: FieldProblem[] = [];
  if (value === null || value === undefined || s.type === "free") return problems;
  const typeProblem = (expected: string) => {
    problems.push({ path, kind: "type", found: jsonType(value), expected });
    return problems;
  };
  switch (s.type) {
    case "string":
      if (s.format === "int-or-string" || s.format === "quantity") {
        if (typeof value !== "string" && typeof value !== "number") return typeProblem("string");
      } else if (typeof value !== "string") return typeProblem("string");
      return problems;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return typeProblem("integer");
      return problems;
    case "number":
      if (typeof value !== "number") return typeProblem("number");
      return problems;
    case "boolean":
      if (typeof value !== "boolean") return typeProblem("boolean");
      return problems;
    case "array":
      if (!Array.isArray(value)) return typeProblem("array");
      value.forEach((item, i) => {
        problems.push(...checkFields(s.items, item, `${path}[${i}]`, prune));
      });
      return problems;
    case "map":
      if (typeof value !== "object" || Array.isArray(value)) return typeProblem("object");
      for (const [k, v] of Object.entries(value as Record<string, unknown>))
        problems.push(...checkFields(s.values, v, path ? `${path}.${k}` : k, prune));
      return problems;
    case "object": {
      if (typeof value !== "object" || Array.isArray(value)) return typeProblem("object");
      const record = value as Record<string, unknown>;
      for (const [k, v] of Object.entries(record)) {
        const child = path ? `${path}.${k}` : k;
        const field = s.properties[k];
        if (!field) {
          problems.push({ path: child, kind: "unknown" });
          if (prune) delete record[k];
          continue;
        }
        problems.push(...checkFields(field, v, child, prune));
      }
      return problems;
    }
  }
}
