// Workload controllers, advanced lazily: a reconcile pass is cheap and idempotent,
// so it runs on API access and from one shared ticker for clusters with work in flight.
// No per-object timers exist; pod start-up is a due time compared with the clock.
import type { Rng } from "../prng";
import { hashString } from "../prng";
import type { ResourceDef } from "./resources";
import { findResource } from "./resources";
import type { ClusterStore } from "./store";
import { isoTime, isRecord, type JsonRecord, type K8sObject, type OwnerReference } from "./types";

const def = (group: string, name: string): ResourceDef => {
  const found = findResource(group, "v1", name);
  if (!found) throw new Error(`unknown resource ${group}/${name}`);
  return found;
};

export const PODS = def("", "pods");
export const NODES = def("", "nodes");
export const EVENTS = def("", "events");
export const DEPLOYMENTS = def("apps", "deployments");
export const REPLICASETS = def("apps", "replicasets");
export const DAEMONSETS = def("apps", "daemonsets");
export const STATEFULSETS = def("apps", "statefulsets");

export interface WorkloadContext {
  store: ClusterStore;
  rng: Rng;
  now(): number;
  podStartMs: number;
  /** progressDeadlineSeconds are multiplied by this (sim time runs faster than wall time) */
  deadlineScale: number;
  /** pod uid -> when its containers come up */
  podDueAt: Map<string, number>;
  /** deployment uid -> when the current rollout last made progress */
  progressAt: Map<string, { hash: string; at: number }>;
  maxEvents: number;
}

const HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function templateHash(template: unknown): string {
  let h1 = hashString(JSON.stringify(template));
  let h2 = hashString(`x${JSON.stringify(template)}`);
  let out = "";
  for (let i = 0; i < 10; i++) {
    const source = i < 5 ? h1 : h2;
    out += HASH_ALPHABET[source % HASH_ALPHABET.length];
    if (i < 5) h1 = Math.floor(h1 / HASH_ALPHABET.length);
    else h2 = Math.floor(h2 / HASH_ALPHABET.length);
  }
  return out;
}

function suffix(rng: Rng, length = 5): string {
  let out = "";
  for (let i = 0; i < length; i++) out += HASH_ALPHABET[Math.floor(rng.next() * HASH_ALPHABET.length)];
  return out;
}

function ownerRef(owner: K8sObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

function isOwnedBy(obj: K8sObject, owner: K8sObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid);
}

function templateOf(workload: K8sObject): JsonRecord {
  const spec = (workload.spec ?? {}) as JsonRecord;
  return (spec.template ?? {}) as JsonRecord;
}

function containersOf(template: JsonRecord): JsonRecord[] {
  const spec = (template.spec ?? {}) as JsonRecord;
  return Array.isArray(spec.containers) ? (spec.containers.filter(isRecord) as JsonRecord[]) : [];
}

function isBrokenImage(image: unknown): boolean {
  return typeof image === "string" && /:broken$/.test(image);
}

/** `:crash` images pull and start, then exit 1 every time (CrashLoopBackOff). */
function isCrashingImage(image: unknown): boolean {
  return typeof image === "string" && /:crash$/.test(image);
}

export function nodeIsSchedulable(node: K8sObject): boolean {
  const spec = (node.spec ?? {}) as JsonRecord;
  if (spec.unschedulable === true) return false;
  const status = (node.status ?? {}) as JsonRecord;
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonRecord[]) : [];
  return conditions.some((c) => c.type === "Ready" && c.status === "True");
}

function nodeIp(store: ClusterStore, nodeName: string): string {
  const node = store.get(NODES, undefined, nodeName);
  const addresses = ((node?.status as JsonRecord | undefined)?.addresses ?? []) as JsonRecord[];
  return String(addresses.find((a) => a.type === "InternalIP")?.address ?? "10.0.0.1");
}

let podIpCounter = 2;

function podIp(store: ClusterStore, nodeName: string): string {
  const node = store.get(NODES, undefined, nodeName);
  const cidr = String(
    ((node?.spec as JsonRecord | undefined)?.podCIDR as string | undefined) ?? "10.42.0.0/24",
  );
  podIpCounter = (podIpCounter % 250) + 1;
  return cidr.replace(/\.0\/24$/, `.${podIpCounter + 1}`);
}

export interface PodPlan {
  name: string;
  owner: K8sObject;
  template: JsonRecord;
  extraLabels: Record<string, string>;
  nodeName?: string;
}

function pickNode(ctx: WorkloadContext, planned?: string): string | undefined {
  if (planned) return planned;
  const nodes = ctx.store.list(NODES).filter(nodeIsSchedulable);
  if (nodes.length === 0) return undefined;
  const pods = ctx.store.list(PODS);
  const load = (n: K8sObject) =>
    pods.filter((p) => (p.spec as JsonRecord).nodeName === n.metadata.name).length;
  nodes.sort((a, b) => load(a) - load(b));
  return nodes[0]?.metadata.name;
}

function containerStatus(
  container: JsonRecord,
  state: "creating" | "running" | "pull-error" | "backoff" | "crash-loop",
  at: number,
): JsonRecord {
  const image = String(container.image ?? "");
  const base = {
    name: container.name,
    image,
    imageID:
      state === "running"
        ? `docker.io/${image.split(":")[0]}@sha256:${hashString(image).toString(16).padStart(8, "0").repeat(8)}`
        : "",
    restartCount: 0,
    ready: state === "running",
    started: state === "running",
  };
  if (state === "running")
    return {
      ...base,
      containerID: `containerd://${hashString(`${image}${at}`).toString(16).repeat(8)}`,
      state: { running: { startedAt: isoTime(at) } },
    };
  if (state === "creating") return { ...base, state: { waiting: { reason: "ContainerCreating" } } };
  if (state === "crash-loop") {
    return {
      ...base,
      imageID: `docker.io/${image.split(":")[0]}@sha256:${hashString(image).toString(16).padStart(8, "0").repeat(8)}`,
      restartCount: 1,
      started: false,
      lastState: {
        terminated: { exitCode: 1, reason: "Error", startedAt: isoTime(at - 1000), finishedAt: isoTime(at) },
      },
      state: {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off 10s restarting failed container=${String(container.name)} pod_uid`,
        },
      },
    };
  }
  if (state === "pull-error") {
    return {
      ...base,
      state: {
        waiting: {
          reason: "ErrImagePull",
          message: `failed to pull and unpack image "docker.io/${image}": not found`,
        },
      },
    };
  }
  return {
    ...base,
    state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
  };
}

function podConditions(isScheduled: boolean, isReady: boolean, at: string): JsonRecord[] {
  const c = (type: string, ok: boolean, reason?: string) => ({
    type,
    status: ok ? "True" : "False",
    lastProbeTime: null,
    lastTransitionTime: at,
    ...(reason && !ok ? { reason } : {}),
  });
  if (!isScheduled) {
    return [
      {
        type: "PodScheduled",
        status: "False",
        lastProbeTime: null,
        lastTransitionTime: at,
        reason: "Unschedulable",
        message:
          "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
      },
    ];
  }
  return [
    c("PodReadyToStartContainers", true),
    c("Initialized", true),
    c("Ready", isReady, "ContainersNotReady"),
    c("ContainersReady", isReady, "ContainersNotReady"),
    c("PodScheduled", true),
  ];
}

export function buildPod(ctx: WorkloadContext, plan: PodPlan, isInstant: boolean): K8sObject {
  const now = ctx.now();
  const template = plan.template;
  const meta = (template.metadata ?? {}) as JsonRecord;
  const spec = { ...((template.spec ?? {}) as JsonRecord) };
  const nodeName = pickNode(ctx, plan.nodeName);
  const containers = containersOf(template).map((c) => ({
    imagePullPolicy: "IfNotPresent",
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    resources: {},
    ...c,
  }));
  const at = isoTime(now);
  const pod: K8sObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: plan.name,
      namespace: plan.owner.metadata.namespace,
      labels: { ...((meta.labels as Record<string, string>) ?? {}), ...plan.extraLabels },
      ...(meta.annotations ? { annotations: { ...(meta.annotations as Record<string, string>) } } : {}),
      ownerReferences: [ownerRef(plan.owner)],
    },
    spec: {
      dnsPolicy: "ClusterFirst",
      enableServiceLinks: true,
      preemptionPolicy: "PreemptLowerPriority",
      priority: 0,
      restartPolicy: "Always",
      schedulerName: "default-scheduler",
      securityContext: {},
      serviceAccount: "default",
      serviceAccountName: "default",
      terminationGracePeriodSeconds: 30,
      ...spec,
      containers,
      ...(nodeName ? { nodeName } : {}),
    },
    status: {},
  };
  if (!nodeName) {
    pod.status = { phase: "Pending", qosClass: "BestEffort", conditions: podConditions(false, false, at) };
    return pod;
  }
  const hostIP = nodeIp(ctx.store, nodeName);
  const ip = podIp(ctx.store, nodeName);
  pod.status = {
    phase: isInstant ? "Running" : "Pending",
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: ip,
    podIPs: [{ ip }],
    qosClass: "BestEffort",
    startTime: at,
    conditions: podConditions(true, isInstant, at),
    containerStatuses: containers.map((c) => containerStatus(c, isInstant ? "running" : "creating", now)),
  };
  return pod;
}

/** Moves a pod along ContainerCreating → Running, or → ErrImagePull → ImagePullBackOff for `:broken` images. */
function advancePod(ctx: WorkloadContext, pod: K8sObject): K8sObject | undefined {
  const status = (pod.status ?? {}) as JsonRecord;
  const spec = (pod.spec ?? {}) as JsonRecord;
  if (!spec.nodeName || status.phase !== "Pending") return undefined;
  const uid = pod.metadata.uid ?? "";
  const now = ctx.now();
  let due = ctx.podDueAt.get(uid);
  if (due === undefined) {
    due = now + ctx.podStartMs;
    ctx.podDueAt.set(uid, due);
  }
  if (now < due) return undefined;
  const containers = Array.isArray(spec.containers) ? (spec.containers as JsonRecord[]) : [];
  const isBroken = containers.some((c) => isBrokenImage(c.image));
  const at = isoTime(now);
  if (!isBroken && containers.some((c) => isCrashingImage(c.image))) {
    ctx.podDueAt.delete(uid);
    recordEvent(
      ctx,
      pod,
      "Warning",
      "BackOff",
      `Back-off restarting failed container ${String(containers.find((c) => isCrashingImage(c.image))?.name)} in pod ${pod.metadata.name}`,
      "kubelet",
    );
    return {
      ...pod,
      status: {
        ...status,
        phase: "Running",
        conditions: podConditions(true, false, at),
        containerStatuses: containers.map((c) =>
          containerStatus(c, isCrashingImage(c.image) ? "crash-loop" : "running", now),
        ),
      },
    };
  }
  if (isBroken) {
    const current = (status.containerStatuses ?? []) as JsonRecord[];
    const wasPullError = current.some(
      (c) =>
        (c.state as JsonRecord | undefined)?.waiting &&
        ((c.state as JsonRecord).waiting as JsonRecord).reason === "ErrImagePull",
    );
    const wasBackoff = current.some(
      (c) =>
        (c.state as JsonRecord | undefined)?.waiting &&
        ((c.state as JsonRecord).waiting as JsonRecord).reason === "ImagePullBackOff",
    );
    if (wasBackoff) {
      ctx.podDueAt.delete(uid);
      return undefined;
    }
    ctx.podDueAt.set(uid, now + Math.max(50, ctx.podStartMs / 2));
    const next = wasPullError ? "backoff" : "pull-error";
    if (next === "pull-error") {
      recordEvent(
        ctx,
        pod,
        "Warning",
        "Failed",
        `Failed to pull image "${String(containers.find((c) => isBrokenImage(c.image))?.image)}": not found`,
        "kubelet",
      );
    } else {
      recordEvent(
        ctx,
        pod,
        "Normal",
        "BackOff",
        `Back-off pulling image "${String(containers.find((c) => isBrokenImage(c.image))?.image)}"`,
        "kubelet",
      );
    }
    return {
      ...pod,
      status: {
        ...status,
        containerStatuses: containers.map((c) =>
          containerStatus(c, isBrokenImage(c.image) ? next : "creating", now),
        ),
      },
    };
  }
  ctx.podDueAt.delete(uid);
  recordEvent(
    ctx,
    pod,
    "Normal",
    "Started",
    `Started container ${String(containers[0]?.name ?? "app")}`,
    "kubelet",
  );
  return {
    ...pod,
    status: {
      ...status,
      phase: "Running",
      conditions: podConditions(true, true, at),
      containerStatuses: containers.map((c) => containerStatus(c, "running", now)),
    },
  };
}

export function isPodReady(pod: K8sObject): boolean {
  const status = (pod.status ?? {}) as JsonRecord;
  const conditions = (status.conditions ?? []) as JsonRecord[];
  return status.phase === "Running" && conditions.some((c) => c.type === "Ready" && c.status === "True");
}

function podsOwnedBy(ctx: WorkloadContext, owners: K8sObject[], namespace: string | undefined): K8sObject[] {
  const uids = new Set(owners.map((o) => o.metadata.uid));
  return ctx.store
    .list(PODS, namespace)
    .filter((p) => (p.metadata.ownerReferences ?? []).some((r) => uids.has(r.uid)));
}

function writeIfChanged(
  ctx: WorkloadContext,
  rdef: ResourceDef,
  before: K8sObject,
  after: K8sObject,
): K8sObject {
  if (JSON.stringify(before) === JSON.stringify(after)) return before;
  return ctx.store.update(rdef, after);
}

function condition(
  type: string,
  status: boolean,
  reason: string,
  message: string,
  at: string,
  previous?: JsonRecord,
): JsonRecord {
  const value = status ? "True" : "False";
  const isSame = previous?.status === value && previous.reason === reason;
  return {
    type,
    status: value,
    lastUpdateTime: isSame ? previous.lastUpdateTime : at,
    lastTransitionTime: previous?.status === value ? previous.lastTransitionTime : at,
    reason,
    message,
  };
}

/** Returns true while the deployment still has work in flight. */
export function reconcileDeployment(ctx: WorkloadContext, dep: K8sObject, isInstant = false): boolean {
  const ns = dep.metadata.namespace;
  const spec = (dep.spec ?? {}) as JsonRecord;
  const replicas = typeof spec.replicas === "number" ? spec.replicas : 1;
  const template = templateOf(dep);
  const hash = templateHash(template);
  const rsName = `${dep.metadata.name}-${hash}`;
  const now = ctx.now();
  const at = isoTime(now);
  const uid = dep.metadata.uid ?? "";

  const replicaSets = ctx.store.list(REPLICASETS, ns).filter((rs) => isOwnedBy(rs, dep));
  let current = replicaSets.find((rs) => rs.metadata.name === rsName);
  if (!current) {
    const labels = {
      ...((((template.metadata ?? {}) as JsonRecord).labels as Record<string, string>) ?? {}),
      "pod-template-hash": hash,
    };
    current = ctx.store.create(REPLICASETS, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name: rsName,
        namespace: ns,
        labels,
        annotations: {
          "deployment.kubernetes.io/desired-replicas": String(replicas),
          "deployment.kubernetes.io/revision": String(replicaSets.length + 1),
        },
        ownerReferences: [ownerRef(dep)],
      },
      spec: {
        replicas,
        selector: {
          matchLabels: {
            ...((spec.selector as JsonRecord | undefined)?.matchLabels as JsonRecord),
            "pod-template-hash": hash,
          },
        },
        template: { ...template, metadata: { ...((template.metadata ?? {}) as JsonRecord), labels } },
      },
      status: { replicas: 0, observedGeneration: 1 },
    });
    if (!isInstant) {
      recordEvent(
        ctx,
        dep,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${rsName} from 0 to ${replicas}`,
        "deployment-controller",
      );
    }
  }
  const progress = ctx.progressAt.get(uid);
  if (!progress || progress.hash !== hash) ctx.progressAt.set(uid, { hash, at: now });

  let pods = podsOwnedBy(ctx, [...replicaSets, current], ns);
  for (const pod of pods) {
    const advanced = advancePod(ctx, pod);
    if (advanced) {
      ctx.store.update(PODS, advanced);
      if (isPodReady(advanced)) ctx.progressAt.set(uid, { hash, at: now });
    }
  }
  pods = podsOwnedBy(ctx, [...replicaSets, current], ns);
  const currentUid = current.metadata.uid;
  const isNew = (p: K8sObject) => (p.metadata.ownerReferences ?? []).some((r) => r.uid === currentUid);
  let newPods = pods.filter(isNew);
  const oldPods = pods.filter((p) => !isNew(p));

  for (let i = newPods.length; i < replicas; i++) {
    const pod = buildPod(
      ctx,
      {
        name: `${rsName}-${suffix(ctx.rng)}`,
        owner: current,
        template,
        extraLabels: { "pod-template-hash": hash },
      },
      isInstant,
    );
    ctx.store.create(PODS, pod);
    newPods.push(pod);
  }
  for (const extra of newPods.slice(replicas)) ctx.store.delete(PODS, ns, extra.metadata.name);
  newPods = newPods.slice(0, replicas);

  const readyNew = newPods.filter(isPodReady).length;
  const keepOld = Math.max(0, replicas - readyNew);
  const oldReady = oldPods.filter(isPodReady);
  const oldNotReady = oldPods.filter((p) => !isPodReady(p));
  const keep = new Set([...oldReady, ...oldNotReady].slice(0, keepOld).map((p) => p.metadata.name));
  const survivors: K8sObject[] = [];
  for (const pod of oldPods) {
    if (keep.has(pod.metadata.name)) survivors.push(pod);
    else ctx.store.delete(PODS, ns, pod.metadata.name);
  }

  for (const rs of [...replicaSets.filter((r) => r.metadata.uid !== currentUid), current]) {
    const owned = rs.metadata.uid === currentUid ? newPods : survivors.filter((p) => isOwnedBy(p, rs));
    const ready = owned.filter(isPodReady).length;
    const desired = rs.metadata.uid === currentUid ? replicas : owned.length;
    const rsSpec = { ...((rs.spec ?? {}) as JsonRecord), replicas: desired };
    const rsStatus: JsonRecord = {
      replicas: owned.length,
      fullyLabeledReplicas: owned.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (ready === 0) {
      delete rsStatus.readyReplicas;
      delete rsStatus.availableReplicas;
    }
    writeIfChanged(ctx, REPLICASETS, rs, { ...rs, spec: rsSpec, status: rsStatus });
  }

  const allPods = [...newPods, ...survivors];
  const ready = allPods.filter(isPodReady).length;
  const isComplete = newPods.length === replicas && readyNew === replicas && survivors.length === 0;
  const prevStatus = (dep.status ?? {}) as JsonRecord;
  const prevConditions = (prevStatus.conditions ?? []) as JsonRecord[];
  const prevAvailable = prevConditions.find((c) => c.type === "Available");
  const prevProgressing = prevConditions.find((c) => c.type === "Progressing");
  const deadlineSeconds =
    typeof spec.progressDeadlineSeconds === "number" ? spec.progressDeadlineSeconds : 600;
  const lastProgress = ctx.progressAt.get(uid)?.at ?? now;
  const isTimedOut = !isComplete && now - lastProgress > deadlineSeconds * 1000 * ctx.deadlineScale;
  const maxUnavailable = Math.floor(replicas * 0.25);
  const isAvailable = ready >= replicas - maxUnavailable;
  const progressing = isComplete
    ? condition(
        "Progressing",
        true,
        "NewReplicaSetAvailable",
        `ReplicaSet "${rsName}" has successfully progressed.`,
        at,
        prevProgressing,
      )
    : isTimedOut
      ? condition(
          "Progressing",
          false,
          "ProgressDeadlineExceeded",
          `ReplicaSet "${rsName}" has timed out progressing.`,
          at,
          prevProgressing,
        )
      : condition(
          "Progressing",
          true,
          "ReplicaSetUpdated",
          `ReplicaSet "${rsName}" is progressing.`,
          at,
          prevProgressing,
        );
  const available = isAvailable
    ? condition(
        "Available",
        true,
        "MinimumReplicasAvailable",
        "Deployment has minimum availability.",
        at,
        prevAvailable,
      )
    : condition(
        "Available",
        false,
        "MinimumReplicasUnavailable",
        "Deployment does not have minimum availability.",
        at,
        prevAvailable,
      );
  const status: JsonRecord = {
    observedGeneration: dep.metadata.generation ?? 1,
    replicas: allPods.length,
    updatedReplicas: newPods.length,
    readyReplicas: ready,
    availableReplicas: ready,
    ...(allPods.length - ready > 0 ? { unavailableReplicas: allPods.length - ready } : {}),
    conditions: [available, progressing],
  };
  if (ready === 0) {
    delete status.readyReplicas;
    delete status.availableReplicas;
  }
  const annotations = {
    ...(dep.metadata.annotations ?? {}),
    "deployment.kubernetes.io/revision": String(
      current.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? "1",
    ),
  };
  const latest = ctx.store.get(DEPLOYMENTS, ns, dep.metadata.name) ?? dep;
  writeIfChanged(ctx, DEPLOYMENTS, latest, {
    ...latest,
    metadata: { ...latest.metadata, annotations },
    status,
  });
  if (isTimedOut && prevProgressing?.reason !== "ProgressDeadlineExceeded") {
    recordEvent(
      ctx,
      dep,
      "Warning",
      "ProgressDeadlineExceeded",
      `Deployment "${dep.metadata.name}" has timed out progressing.`,
      "deployment-controller",
    );
  }
  // Past its deadline the controller gives up reporting progress, but the kubelet still starts
  // pods that are due: keep ticking while any is, so a slow start still ends Available.
  const isPodStarting = allPods.some((p) => ctx.podDueAt.has(p.metadata.uid ?? ""));
  return !isComplete && (!isTimedOut || isPodStarting);
}

/** An int-or-percent rollout budget ("25%", 1) against a total, at least 1 (the apiserver rounds up for unavailability). */
export function budget(value: unknown, total: number, fallback: number): number {
  if (typeof value === "number") return Math.max(1, value);
  if (typeof value === "string" && /^\d+%$/.test(value))
    return Math.max(1, Math.ceil((total * Number(value.slice(0, -1))) / 100));
  return fallback;
}

/** Creates a pod and books its start, so the ticker keeps reconciling until it is up. */
function createPod(ctx: WorkloadContext, plan: PodPlan, isInstant: boolean): K8sObject {
  const pod = ctx.store.create(PODS, buildPod(ctx, plan, isInstant));
  if (!isInstant && pod.metadata.uid) ctx.podDueAt.set(pod.metadata.uid, ctx.now() + ctx.podStartMs);
  return pod;
}

function isCurrent(pod: K8sObject, revision: string): boolean {
  return pod.metadata.labels?.["controller-revision-hash"] === revision;
}

/**
 * DaemonSets (one pod per node) and StatefulSets (ordered pods) with rolling updates:
 * a DaemonSet replaces at most maxUnavailable (default 1) nodes' pods at a time and waits
 * for each new pod to be ready; a StatefulSet replaces from the highest ordinal down, one
 * at a time (OrderedReady). OnDelete leaves old pods alone. New DaemonSet pods get new names.
 */
export function reconcilePodSet(
  ctx: WorkloadContext,
  rdef: ResourceDef,
  owner: K8sObject,
  isInstant = false,
): boolean {
  const ns = owner.metadata.namespace;
  const spec = (owner.spec ?? {}) as JsonRecord;
  const template = templateOf(owner);
  const hash = templateHash(template);
  const isDaemonSet = owner.kind === "DaemonSet";
  const revision = isDaemonSet ? hash : `${owner.metadata.name}-${hash}`;
  const strategy = (spec.updateStrategy ?? {}) as JsonRecord;
  const isOnDelete = strategy.type === "OnDelete";
  let pods = podsOwnedBy(ctx, [owner], ns);
  for (const pod of pods) {
    const advanced = advancePod(ctx, pod);
    if (advanced) ctx.store.update(PODS, advanced);
  }
  pods = podsOwnedBy(ctx, [owner], ns);
  let desired: number;
  if (isDaemonSet) {
    const nodes = ctx.store.list(NODES);
    desired = nodes.length;
    const byNode = new Map<string, K8sObject[]>();
    for (const pod of pods) {
      const node = String(((pod.spec ?? {}) as JsonRecord).nodeName ?? "");
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    const plan = (nodeName: string): PodPlan => ({
      name: `${owner.metadata.name}-${suffix(ctx.rng)}`,
      owner,
      template,
      extraLabels: {
        "controller-revision-hash": revision,
        "pod-template-generation": String(owner.metadata.generation ?? 1),
      },
      nodeName,
    });
    const wanted = new Set(nodes.map((n) => n.metadata.name));
    for (const [node, list] of byNode) {
      if (wanted.has(node)) continue;
      for (const pod of list) ctx.store.delete(PODS, ns, pod.metadata.name);
    }
    const rolling = (strategy.rollingUpdate ?? {}) as JsonRecord;
    const maxUnavailable = budget(rolling.maxUnavailable, desired, 1);
    const unavailable = () =>
      nodes.filter((n) => !(byNode.get(n.metadata.name) ?? []).some(isPodReady)).length;
    for (const node of nodes) {
      const list = byNode.get(node.metadata.name) ?? [];
      if (list.length === 0) {
        const pod = createPod(ctx, plan(node.metadata.name), isInstant);
        byNode.set(node.metadata.name, [pod]);
      }
    }
    if (!isOnDelete) {
      for (const node of nodes) {
        const list = byNode.get(node.metadata.name) ?? [];
        const stale = list.filter((p) => !isCurrent(p, revision));
        if (stale.length === 0) continue;
        const isDown = !list.some(isPodReady);
        if (!isDown && unavailable() >= maxUnavailable) continue;
        for (const pod of stale) ctx.store.delete(PODS, ns, pod.metadata.name);
        const fresh = list.filter((p) => isCurrent(p, revision));
        if (fresh.length === 0) fresh.push(createPod(ctx, plan(node.metadata.name), isInstant));
        byNode.set(node.metadata.name, fresh);
      }
    }
  } else {
    desired = typeof spec.replicas === "number" ? spec.replicas : 1;
    const plan = (i: number): PodPlan => ({
      name: `${owner.metadata.name}-${i}`,
      owner,
      template,
      extraLabels: {
        "controller-revision-hash": revision,
        "apps.kubernetes.io/pod-index": String(i),
        "statefulset.kubernetes.io/pod-name": `${owner.metadata.name}-${i}`,
      },
    });
    const byName = new Map(pods.map((p) => [p.metadata.name, p]));
    for (const pod of pods) {
      const ordinal = Number(pod.metadata.name.slice(owner.metadata.name.length + 1));
      if (!(ordinal < desired)) {
        ctx.store.delete(PODS, ns, pod.metadata.name);
        byName.delete(pod.metadata.name);
      }
    }
    // OrderedReady: create missing ordinals in order, one at a time, each after the previous is ready.
    for (let i = 0; i < desired; i++) {
      const existing = byName.get(`${owner.metadata.name}-${i}`);
      if (existing) {
        if (!isPodReady(existing) && !isInstant) break;
        continue;
      }
      byName.set(plan(i).name, createPod(ctx, plan(i), isInstant));
      if (!isInstant) break;
    }
    const all = [...byName.values()];
    if (!isOnDelete && all.length === desired && all.every(isPodReady)) {
      // Highest stale ordinal first, only when everything else is ready.
      for (let i = desired - 1; i >= 0; i--) {
        const pod = byName.get(`${owner.metadata.name}-${i}`);
        if (!pod || isCurrent(pod, revision)) continue;
        ctx.store.delete(PODS, ns, pod.metadata.name);
        createPod(ctx, plan(i), isInstant);
        break;
      }
    }
  }
  pods = podsOwnedBy(ctx, [owner], ns);
  const ready = pods.filter(isPodReady).length;
  const updated = pods.filter((p) => isCurrent(p, revision));
  const generation = owner.metadata.generation ?? 1;
  const scheduledNodes = new Set(pods.map((p) => String(((p.spec ?? {}) as JsonRecord).nodeName ?? "")));
  const status: JsonRecord = isDaemonSet
    ? {
        currentNumberScheduled: scheduledNodes.size,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: generation,
        updatedNumberScheduled: updated.length,
        ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
      }
    : {
        replicas: pods.length,
        readyReplicas: ready,
        currentReplicas: pods.length - updated.length === 0 ? pods.length : pods.length - updated.length,
        updatedReplicas: updated.length,
        availableReplicas: ready,
        currentRevision:
          updated.length === pods.length
            ? revision
            : String(
                pods.find((p) => !isCurrent(p, revision))?.metadata.labels?.["controller-revision-hash"] ??
                  revision,
              ),
        updateRevision: revision,
        observedGeneration: generation,
        collisionCount: 0,
      };
  const latest = ctx.store.get(rdef, ns, owner.metadata.name) ?? owner;
  writeIfChanged(ctx, rdef, latest, { ...latest, status });
  // Every step that can move on is driven by a pod coming up; nothing due means nothing to do until the next write.
  return pods.some((p) => ctx.podDueAt.has(p.metadata.uid ?? ""));
}

/** Standalone pods (created directly through the API) start up too. */
export function reconcileBarePods(ctx: WorkloadContext): boolean {
  let isBusy = false;
  for (const pod of ctx.store.list(PODS)) {
    if ((pod.metadata.ownerReferences ?? []).length > 0) continue;
    if ((pod.status as JsonRecord | undefined)?.phase !== "Pending") continue;
    const advanced = advancePod(ctx, pod);
    if (advanced) ctx.store.update(PODS, advanced);
    if (ctx.podDueAt.has(pod.metadata.uid ?? "")) isBusy = true;
  }
  return isBusy;
}

export function recordEvent(
  ctx: WorkloadContext,
  involved: K8sObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  component: string,
): void {
  const at = isoTime(ctx.now());
  const ns = involved.metadata.namespace ?? "default";
  const events = ctx.store.table(EVENTS);
  while (events.size >= ctx.maxEvents) {
    const oldest = events.values().next().value;
    if (!oldest) break;
    ctx.store.delete(EVENTS, oldest.metadata.namespace, oldest.metadata.name);
  }
  const nodeName = String(((involved.spec ?? {}) as JsonRecord).nodeName ?? "");
  ctx.store.create(EVENTS, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${involved.metadata.name}.${ctx.rng.hex(16)}`, namespace: ns },
    involvedObject: {
      apiVersion: involved.apiVersion,
      kind: involved.kind,
      name: involved.metadata.name,
      ...(involved.metadata.namespace ? { namespace: involved.metadata.namespace } : {}),
      uid: involved.metadata.uid,
      resourceVersion: involved.metadata.resourceVersion,
    },
    reason,
    message,
    source: { component, ...(component === "kubelet" && nodeName ? { host: nodeName } : {}) },
    firstTimestamp: at,
    lastTimestamp: at,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: component === "kubelet" ? nodeName : "",
  });
}
