// What a fresh k3s cluster (plus the site's demo apps) contains on first look.
import { type ClusterSpec, containerdVersionFor, type NodeSpec } from "../fleet";
import { customResourceDefinitions } from "./crds";
import { findResource, type ResourceDef } from "./resources";
import type { ClusterStore } from "./store";
import { isoTime, type K8sObject } from "./types";
import { DAEMONSETS, DEPLOYMENTS, EVENTS, NODES, STATEFULSETS } from "./workloads";

function must(group: string, version: string, name: string): ResourceDef {
  const d = findResource(group, version, name);
  if (!d) throw new Error(`unknown resource ${name}`);
  return d;
}

export const NAMESPACES = must("", "v1", "namespaces");
export const SERVICES = must("", "v1", "services");
export const CONFIGMAPS = must("", "v1", "configmaps");
export const LEASES = must("coordination.k8s.io", "v1", "leases");
export const HELMCHARTS = must("helm.cattle.io", "v1", "helmcharts");
export const CRDS = must("apiextensions.k8s.io", "v1", "customresourcedefinitions");

const DAY_MS = 86_400_000;

export function nodeObject(spec: ClusterSpec, node: NodeSpec, index: number, bootMs: number): K8sObject {
  const roleLabels: Record<string, string> = {};
  for (const role of node.roles) roleLabels[`node-role.kubernetes.io/${role}`] = "true";
  const memoryKi = node.memoryMi * 1024 - 120_000;
  const capacity: Record<string, string> = {
    cpu: String(node.cpuCores),
    "ephemeral-storage": `${node.arch === "arm64" ? 30_298_620 : 102_626_232}Ki`,
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: `${memoryKi}Ki`,
    pods: "110",
  };
  if (node.gpus > 0) capacity["nvidia.com/gpu"] = String(node.gpus);
  const boot = isoTime(bootMs);
  const condition = (type: string, reason: string, message: string, status = "False") => ({
    type,
    status,
    lastHeartbeatTime: boot,
    lastTransitionTime: boot,
    reason,
    message,
  });
  const id = (node.seed >>> 0).toString(16).padStart(8, "0");
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      labels: {
        "beta.kubernetes.io/arch": node.arch,
        "beta.kubernetes.io/instance-type": "k3s",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": node.arch,
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "node.kubernetes.io/instance-type": "k3s",
        ...roleLabels,
        ...(node.gpus > 0 ? { "nvidia.com/gpu.present": "true" } : {}),
      },
      annotations: {
        "alpha.kubernetes.io/provided-node-ip": node.internalIp,
        "flannel.alpha.coreos.com/backend-type": "vxlan",
        "flannel.alpha.coreos.com/public-ip": node.internalIp,
        "k3s.io/hostname": node.name,
        "k3s.io/internal-ip": node.internalIp,
        "k3s.io/node-args": node.roles.length > 0 ? '["server"]' : '["agent"]',
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
      },
      creationTimestamp: boot,
    },
    spec: {
      podCIDR: `10.42.${index}.0/24`,
      podCIDRs: [`10.42.${index}.0/24`],
      providerID: `k3s://${node.name}`,
    },
    status: {
      addresses: [
        { type: "InternalIP", address: node.internalIp },
        { type: "Hostname", address: node.name },
      ],
      allocatable: { ...capacity },
      capacity,
      conditions: [
        condition("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        condition("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        condition("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        condition("Ready", "KubeletReady", "kubelet is posting ready status", "True"),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: node.arch,
        bootID: `${id}-0000-4000-8000-${id}${id.slice(0, 4)}`,
        containerRuntimeVersion: containerdVersionFor(spec.k3sVersion),
        kernelVersion: node.kernelVersion,
        kubeProxyVersion: spec.k3sVersion,
        kubeletVersion: spec.k3sVersion,
        machineID: `${id}${id}${id}${id}`,
        operatingSystem: "linux",
        osImage: node.osImage,
        systemUUID: `${id}-${id.slice(0, 4)}-${id.slice(4)}-0000-${id}0000`,
      },
    },
  };
}

interface AppSpec {
  kind: "Deployment" | "DaemonSet" | "StatefulSet";
  namespace: string;
  name: string;
  image: string;
  replicas?: number;
  labels: Record<string, string>;
  port?: number;
}

function builtinApps(spec: ClusterSpec): AppSpec[] {
  const apps: AppSpec[] = [
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "coredns",
      image: "rancher/mirrored-coredns-coredns:1.12.0",
      labels: { "k8s-app": "kube-dns" },
      port: 53,
    },
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "local-path-provisioner",
      image: "rancher/local-path-provisioner:v0.0.30",
      labels: { app: "local-path-provisioner" },
    },
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "metrics-server",
      image: "rancher/mirrored-metrics-server:v0.7.2",
      labels: { "k8s-app": "metrics-server" },
      port: 10250,
    },
    {
      kind: "Deployment",
      namespace: "kube-system",
      name: "traefik",
      image: "rancher/mirrored-library-traefik:3.3.2",
      labels: { "app.kubernetes.io/instance": "traefik-kube-system", "app.kubernetes.io/name": "traefik" },
      port: 8000,
    },
    {
      kind: "DaemonSet",
      namespace: "kube-system",
      name: "svclb-traefik-7f3c2a1e",
      image: "rancher/klipper-lb:v0.4.9",
      labels: { app: "svclb-traefik-7f3c2a1e", "svccontroller.k3s.cattle.io/svcname": "traefik" },
    },
    {
      kind: "DaemonSet",
      namespace: "monitoring",
      name: "node-telemetry",
      image: "telegraf:1.32-alpine",
      labels: { app: "node-telemetry" },
    },
  ];
  const byRole: Record<ClusterSpec["role"], AppSpec[]> = {
    store: [
      {
        kind: "Deployment",
        namespace: "pos",
        name: "pos-api",
        image: "registry.outpost.internal/retail/pos-api:2.14.1",
        replicas: Math.min(2, spec.nodes.length),
        labels: { app: "pos-api" },
        port: 8080,
      },
      {
        kind: "Deployment",
        namespace: "pos",
        name: "inventory-sync",
        image: "registry.outpost.internal/retail/inventory-sync:1.9.0",
        labels: { app: "inventory-sync" },
      },
      {
        kind: "StatefulSet",
        namespace: "pos",
        name: "pos-db",
        image: "postgres:16-alpine",
        labels: { app: "pos-db" },
        port: 5432,
      },
    ],
    turbine: [
      {
        kind: "Deployment",
        namespace: "turbine",
        name: "pitch-control",
        image: "registry.outpost.internal/wind/pitch-control:4.2.0",
        labels: { app: "pitch-control" },
      },
      {
        kind: "Deployment",
        namespace: "turbine",
        name: "scada-bridge",
        image: "registry.outpost.internal/wind/scada-bridge:1.3.7",
        labels: { app: "scada-bridge" },
        port: 502,
      },
    ],
    "farm-control": [
      {
        kind: "Deployment",
        namespace: "scada",
        name: "farm-scada",
        image: "registry.outpost.internal/wind/farm-scada:3.0.2",
        replicas: 2,
        labels: { app: "farm-scada" },
        port: 8443,
      },
      {
        kind: "StatefulSet",
        namespace: "scada",
        name: "historian",
        image: "influxdb:1.8-alpine",
        labels: { app: "historian" },
        port: 8086,
      },
      {
        kind: "Deployment",
        namespace: "scada",
        name: "grafana",
        image: "grafana/grafana:11.4.0",
        labels: { app: "grafana" },
        port: 3000,
      },
    ],
    vehicle: [
      {
        kind: "Deployment",
        namespace: "fleet",
        name: "route-planner",
        image: "registry.outpost.internal/fleet/route-planner:0.18.3",
        labels: { app: "route-planner" },
      },
      {
        kind: "StatefulSet",
        namespace: "fleet",
        name: "video-buffer",
        image: "registry.outpost.internal/fleet/video-buffer:1.1.0",
        labels: { app: "video-buffer" },
      },
    ],
    gateway: [
      {
        kind: "Deployment",
        namespace: "factory",
        name: "opcua-gateway",
        image: "registry.outpost.internal/plant/opcua-gateway:5.6.1",
        replicas: 2,
        labels: { app: "opcua-gateway" },
        port: 4840,
      },
      {
        kind: "StatefulSet",
        namespace: "factory",
        name: "mqtt-broker",
        image: "eclipse-mosquitto:2.0.20",
        labels: { app: "mqtt-broker" },
        port: 1883,
      },
    ],
  };
  return [...apps, ...byRole[spec.role]];
}

function workloadObject(app: AppSpec): K8sObject {
  const template = {
    metadata: { labels: { ...app.labels } },
    spec: {
      containers: [
        {
          name: app.name.replace(/-[0-9a-f]{8}$/, ""),
          image: app.image,
          ...(app.port ? { ports: [{ containerPort: app.port, protocol: "TCP" }] } : {}),
        },
      ],
    },
  };
  const apiVersion = "apps/v1";
  const metadata = { name: app.name, namespace: app.namespace, labels: { ...app.labels } };
  if (app.kind === "DaemonSet") {
    return {
      apiVersion,
      kind: "DaemonSet",
      metadata,
      spec: {
        selector: { matchLabels: { ...app.labels } },
        template,
        updateStrategy: { type: "RollingUpdate" },
      },
    };
  }
  if (app.kind === "StatefulSet") {
    return {
      apiVersion,
      kind: "StatefulSet",
      metadata,
      spec: { replicas: 1, serviceName: app.name, selector: { matchLabels: { ...app.labels } }, template },
    };
  }
  return {
    apiVersion,
    kind: "Deployment",
    metadata,
    spec: {
      replicas: app.replicas ?? 1,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { ...app.labels } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } },
      template,
    },
  };
}

export interface SeedResult {
  workloads: K8sObject[];
}

/** Fills the store; returns the workloads whose pods the controller must create. */
export function seedCluster(
  store: ClusterStore,
  spec: ClusterSpec,
  nowMs: number,
  caPem: string,
): SeedResult {
  const ageDays = 30 + (spec.seed % 400);
  const createdMs = nowMs - ageDays * DAY_MS;
  const created = isoTime(createdMs);
  const bootMs = nowMs - ((spec.seed % 20) + 1) * DAY_MS;
  const apps = builtinApps(spec);
  const namespaces = [
    "default",
    "kube-system",
    "kube-public",
    "kube-node-lease",
    ...new Set(apps.map((a) => a.namespace)),
  ];
  for (const ns of [...new Set(namespaces)]) {
    store.seed(NAMESPACES, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: { "kubernetes.io/metadata.name": ns }, creationTimestamp: created },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
    store.seed(CONFIGMAPS, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "kube-root-ca.crt", namespace: ns, creationTimestamp: created },
      data: { "ca.crt": caPem },
    });
  }
  spec.nodes.forEach((node, i) => {
    store.seed(NODES, nodeObject(spec, node, i, createdMs + i * 60_000));
    store.seed(LEASES, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name: node.name,
        namespace: "kube-node-lease",
        ownerReferences: [{ apiVersion: "v1", kind: "Node", name: node.name, uid: "" }],
      },
      spec: {
        holderIdentity: node.name,
        leaseDurationSeconds: 40,
        renewTime: isoTime(nowMs).replace("Z", ".000000Z"),
      },
    });
    store.seed(EVENTS, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${node.name}.${(spec.seed + i).toString(16)}`, namespace: "default" },
      involvedObject: { kind: "Node", name: node.name, uid: node.name },
      reason: "NodeReady",
      message: `Node ${node.name} status is now: NodeReady`,
      source: { component: "kubelet", host: node.name },
      firstTimestamp: isoTime(bootMs),
      lastTimestamp: isoTime(bootMs),
      count: 1,
      type: "Normal",
      eventTime: null,
      reportingComponent: "kubelet",
      reportingInstance: node.name,
    });
  });
  // Lease owner references carry the node's uid once the nodes exist.
  for (const lease of store.list(LEASES)) {
    const node = store.get(NODES, undefined, lease.metadata.name);
    const ref = lease.metadata.ownerReferences?.[0];
    if (ref && node?.metadata.uid) ref.uid = node.metadata.uid;
  }
  const server = spec.nodes[0]?.name ?? "server";
  for (const name of ["kube-controller-manager", "kube-scheduler"]) {
    store.seed(LEASES, {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace: "kube-system" },
      spec: {
        holderIdentity: `${server}_${spec.seed.toString(16)}`,
        leaseDurationSeconds: 15,
        leaseTransitions: 1,
        renewTime: isoTime(nowMs).replace("Z", ".000000Z"),
      },
    });
  }
  const service = (
    ns: string,
    name: string,
    ip: string,
    ports: object[],
    selector?: Record<string, string>,
    type = "ClusterIP",
  ) =>
    store.seed(SERVICES, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name, namespace: ns, creationTimestamp: created },
      spec: {
        clusterIP: ip,
        clusterIPs: [ip],
        ports,
        ...(selector ? { selector } : {}),
        type,
        sessionAffinity: "None",
        ipFamilies: ["IPv4"],
        ipFamilyPolicy: "SingleStack",
        internalTrafficPolicy: "Cluster",
      },
      status:
        type === "LoadBalancer"
          ? { loadBalancer: { ingress: spec.nodes.map((n) => ({ ip: n.internalIp, ipMode: "VIP" })) } }
          : { loadBalancer: {} },
    });
  service("default", "kubernetes", "10.43.0.1", [
    { name: "https", port: 443, protocol: "TCP", targetPort: 6443 },
  ]);
  service(
    "kube-system",
    "kube-dns",
    "10.43.0.10",
    [{ name: "dns", port: 53, protocol: "UDP", targetPort: 53 }],
    { "k8s-app": "kube-dns" },
  );
  service(
    "kube-system",
    "metrics-server",
    "10.43.12.81",
    [{ name: "https", port: 443, protocol: "TCP", targetPort: "https" }],
    { "k8s-app": "metrics-server" },
  );
  service(
    "kube-system",
    "traefik",
    "10.43.96.14",
    [
      { name: "web", port: 80, protocol: "TCP", targetPort: "web" },
      { name: "websecure", port: 443, protocol: "TCP", targetPort: "websecure" },
    ],
    { "app.kubernetes.io/name": "traefik" },
    "LoadBalancer",
  );
  store.seed(CONFIGMAPS, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "coredns", namespace: "kube-system", creationTimestamp: created },
    data: {
      Corefile:
        ".:53 {\n    errors\n    health\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n    forward . /etc/resolv.conf\n    cache 30\n}\n",
    },
  });
  store.seed(CONFIGMAPS, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "local-path-config", namespace: "kube-system", creationTimestamp: created },
    data: {
      "config.json":
        '{"nodePathMap":[{"node":"DEFAULT_PATH_FOR_NON_LISTED_NODES","paths":["/var/lib/rancher/k3s/storage"]}]}',
    },
  });
  for (const crd of customResourceDefinitions(created)) store.seed(CRDS, crd);
  for (const [name, chart] of [
    ["traefik-crd", "traefik-crd-27.0.201+up27.0.2.tgz"],
    ["traefik", "traefik-27.0.201+up27.0.2.tgz"],
  ] as const) {
    store.seed(HELMCHARTS, {
      apiVersion: "helm.cattle.io/v1",
      kind: "HelmChart",
      metadata: {
        name,
        namespace: "kube-system",
        creationTimestamp: created,
        generation: 1,
        finalizers: ["wrangler.cattle.io/on-helm-chart-remove"],
      },
      spec: {
        chart: `https://%{KUBERNETES_API}%/static/charts/${chart}`,
        targetNamespace: "kube-system",
        ...(name === "traefik" ? { set: { "global.systemDefaultRegistry": "" } } : {}),
      },
      status: { jobName: `helm-install-${name}` },
    });
  }
  const workloads: K8sObject[] = [];
  for (const app of apps) {
    const obj = workloadObject(app);
    const rdef =
      app.kind === "Deployment" ? DEPLOYMENTS : app.kind === "DaemonSet" ? DAEMONSETS : STATEFULSETS;
    obj.metadata.creationTimestamp = created;
    workloads.push(store.seed(rdef, obj));
  }
  return { workloads };
}
