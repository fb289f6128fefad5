import type {
  CoreV1EventList,
  V1DaemonSetList,
  V1DeploymentList,
  V1LeaseList,
  V1Node,
  V1NodeList,
  V1PodList,
  V1StatefulSetList,
} from "@kubernetes/client-node";
import { SLOW_REQUEST_MS } from "@/lib/health/link";
import type {
  ClusterSnapshot,
  NodeConditionSnapshot,
  NodeSnapshot,
  WarningEvent,
  WorkloadProblem,
} from "@/lib/health/types";
import type { ClusterClient, ReachFailure } from "@/lib/kube/cluster-client";

/**
 * Per request, from the moment it is on the wire: a satellite or congested
 * cellular link answers in seconds; only silence this long is a timeout.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
const NODE_PAGE = 200;
const MAX_NODE_PAGES = 20;
const MAX_WARNING_EVENTS = 20;

/** Which parts of a cluster a poll reads: the cheap heartbeat every time, details less often. */
export interface PollPlan {
  /** also workloads, events, /version and node metrics */
  isDetailed: boolean;
  /** node usage from the last detailed poll, for the light ones in between */
  usage?: ReadonlyMap<string, NodeUsage>;
  /** requests in flight at once; a poll that finds the link slow widens to SLOW_LINK_PARALLELISM */
  parallelism?: number;
}

/**
 * Requests in flight at once on a slow link. A poll's 3–9 requests queued on
 * one connection would take 30 s at 4 s each; three connections take ~12 s.
 */
export const SLOW_LINK_PARALLELISM = 3;

/** A FIFO limiter whose width can grow while requests wait. */
function createGate(width: number) {
  let limit = Math.max(1, width);
  let active = 0;
  const waiting: (() => void)[] = [];
  const pump = () => {
    while (active < limit && waiting.length > 0) {
      active++;
      waiting.shift()?.();
    }
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
        pump();
      });
      try {
        return await task();
      } finally {
        active--;
        pump();
      }
    },
    widen(to: number) {
      if (to <= limit) return;
      limit = to;
      pump();
    },
  };
}

/** CPU (millicores) and memory (bytes) a node uses, from metrics.k8s.io. */
export interface NodeUsage {
  cpu: number | null;
  memory: number | null;
}

type NodeMetricsList = {
  items: { metadata?: { name?: string }; usage?: { cpu?: string; memory?: string } }[];
};

export function parseCpu(q: string | undefined): number | null {
  if (!q) return null;
  const m = q.match(/^([0-9.]+)(n|u|m)?$/);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = m[2];
  if (unit === "n") return Math.round(v / 1e6);
  if (unit === "u") return Math.round(v / 1e3);
  if (unit === "m") return Math.round(v);
  return Math.round(v * 1000);
}

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

export function parseMemory(q: string | undefined): number | null {
  if (!q) return null;
  const m = q.match(/^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T|)$/);
  if (!m) return null;
  return Math.round(Number(m[1]) * (MEMORY_UNITS[m[2] ?? ""] ?? 1));
}

function iso(d: Date | string | undefined | null): string | null {
  if (!d) return null;
  const t = d instanceof Date ? d : new Date(d);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

function nodeSnapshot(node: V1Node, leaseRenew: string | null, usage: NodeUsage | undefined): NodeSnapshot {
  const labels = node.metadata?.labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  const info = node.status?.nodeInfo;
  const capacity = node.status?.capacity ?? {};
  const conditions: NodeConditionSnapshot[] = (node.status?.conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status === "True" || c.status === "False" ? c.status : "Unknown",
    reason: c.reason ?? null,
    message: c.message ?? null,
    lastHeartbeatTime: iso(c.lastHeartbeatTime as unknown as string),
    lastTransitionTime: iso(c.lastTransitionTime as unknown as string),
  }));
  return {
    name: node.metadata?.name ?? "?",
    roles,
    arch: info?.architecture ?? labels["kubernetes.io/arch"] ?? null,
    kubeletVersion: info?.kubeletVersion ?? null,
    osImage: info?.osImage ?? null,
    containerRuntime: info?.containerRuntimeVersion ?? null,
    kernelVersion: info?.kernelVersion ?? null,
    internalIp: node.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? null,
    cpuCapacity: parseCpu(capacity.cpu),
    memoryCapacity: parseMemory(capacity.memory),
    cpuUsage: usage?.cpu ?? null,
    memoryUsage: usage?.memory ?? null,
    gpuCapacity: capacity["nvidia.com/gpu"] ? Number(capacity["nvidia.com/gpu"]) : null,
    isUnschedulable: node.spec?.unschedulable === true,
    taints: (node.spec?.taints ?? []).map((t) => ({ key: t.key, effect: t.effect })),
    conditions,
    leaseRenewTime: leaseRenew,
  };
}

type Get = <T>(path: string) => Promise<T>;

async function listNodes(get: Get): Promise<V1Node[]> {
  const nodes: V1Node[] = [];
  let cont: string | undefined;
  for (let page = 0; page < MAX_NODE_PAGES; page++) {
    const q = `/api/v1/nodes?limit=${NODE_PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`;
    const list = await get<V1NodeList>(q);
    nodes.push(...list.items);
    cont = list.metadata?._continue;
    if (!cont) break;
  }
  return nodes;
}

function workloadProblems(
  deployments: V1DeploymentList | null,
  daemonsets: V1DaemonSetList | null,
  statefulsets: V1StatefulSetList | null,
  pods: V1PodList | null,
): WorkloadProblem[] {
  const out: WorkloadProblem[] = [];
  for (const d of deployments?.items ?? []) {
    const want = d.spec?.replicas ?? 1;
    const available = d.status?.availableReplicas ?? 0;
    const stalled = d.status?.conditions?.find(
      (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded",
    );
    if (available < want || stalled) {
      out.push({
        kind: "Deployment",
        namespace: d.metadata?.namespace ?? "default",
        name: d.metadata?.name ?? "?",
        problem: stalled
          ? `${available}/${want} available, ProgressDeadlineExceeded`
          : `${available}/${want} available`,
        since: iso(
          (stalled?.lastTransitionTime ??
            d.status?.conditions?.find((c) => c.type === "Available")
              ?.lastTransitionTime) as unknown as string,
        ),
      });
    }
  }
  for (const ds of daemonsets?.items ?? []) {
    const want = ds.status?.desiredNumberScheduled ?? 0;
    const ready = ds.status?.numberAvailable ?? ds.status?.numberReady ?? 0;
    if (ready < want) {
      out.push({
        kind: "DaemonSet",
        namespace: ds.metadata?.namespace ?? "default",
        name: ds.metadata?.name ?? "?",
        problem: `${ready}/${want} available`,
        since: null,
      });
    }
  }
  for (const s of statefulsets?.items ?? []) {
    const want = s.spec?.replicas ?? 1;
    const ready = s.status?.readyReplicas ?? 0;
    if (ready < want) {
      out.push({
        kind: "StatefulSet",
        namespace: s.metadata?.namespace ?? "default",
        name: s.metadata?.name ?? "?",
        problem: `${ready}/${want} ready`,
        since: null,
      });
    }
  }
  for (const p of pods?.items ?? []) {
    const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
    out.push({
      kind: "Pod",
      namespace: p.metadata?.namespace ?? "default",
      name: p.metadata?.name ?? "?",
      problem: waiting ?? p.status?.reason ?? p.status?.phase ?? "Unknown",
      since: iso(p.status?.startTime as unknown as string),
    });
  }
  return out;
}

function warningEvents(list: CoreV1EventList | null): WarningEvent[] {
  return (list?.items ?? [])
    .map((e) => ({
      namespace: e.metadata?.namespace ?? "default",
      involvedObject: `${e.involvedObject?.kind ?? "?"}/${e.involvedObject?.name ?? "?"}`,
      reason: e.reason ?? "",
      message: (e.message ?? "").slice(0, 300),
      count: e.count ?? 1,
      lastTimestamp: iso(
        (e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp) as unknown as string,
      ),
    }))
    .sort((a, b) => (b.lastTimestamp ?? "").localeCompare(a.lastTimestamp ?? ""))
    .slice(0, MAX_WARNING_EVENTS);
}

export interface PollReport {
  snapshot: ClusterSnapshot;
  /** median time per request on the wire (ms): the link's latency as the operator feels it */
  latencyMs: number;
  /** when the heartbeat (the node list) had arrived: what "last seen" means */
  heartbeatAt: number;
  /** node usage, when this poll read metrics (detailed polls); null otherwise */
  usage: ReadonlyMap<string, NodeUsage> | null;
}

/**
 * Reads one cluster. Nodes are the heartbeat and must succeed (otherwise the
 * cluster counts as unreachable); everything else is best effort and its
 * failure lands in partialErrors, because metrics-server being down is a
 * finding about the site, not a reason to call it dark.
 */
export async function pollCluster(
  client: ClusterClient,
  plan: PollPlan,
  now: () => number = Date.now,
): Promise<PollReport> {
  const partialErrors: string[] = [];
  const timings: number[] = [];
  const gate = createGate(plan.parallelism ?? 1);
  const onTiming = (ms: number) => {
    timings.push(ms);
    // The link turned out slow: let the rest of this poll's requests go side by side.
    if (ms >= SLOW_REQUEST_MS) gate.widen(SLOW_LINK_PARALLELISM);
  };
  const get: Get = (path) => gate.run(() => client.get(path, { timeoutMs: REQUEST_TIMEOUT_MS, onTiming }));
  let heartbeatAt = 0;
  const optional = async <T>(label: string, path: string): Promise<T | null> => {
    try {
      return await get<T>(path);
    } catch (err) {
      partialErrors.push(`${label}: ${(err as ReachFailure).reach?.message ?? "failed"}`);
      return null;
    }
  };
  const notRunning = encodeURIComponent("status.phase!=Running,status.phase!=Succeeded");
  // Everything is queued at once, the heartbeat first: the gate decides how many go out together.
  const heartbeat = listNodes(get).then((list) => {
    heartbeatAt = now();
    return list;
  });
  // The lease is the cheap heartbeat: every poll. Usage moves slowly: with the details.
  const light = Promise.all([
    optional<V1LeaseList>(
      "node leases",
      "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?limit=500",
    ),
    plan.isDetailed
      ? optional<NodeMetricsList>("node metrics", "/apis/metrics.k8s.io/v1beta1/nodes")
      : Promise.resolve(null),
  ]);
  const detail = plan.isDetailed
    ? Promise.all([
        optional<{ gitVersion?: string; platform?: string }>("version", "/version"),
        optional<V1DeploymentList>("deployments", "/apis/apps/v1/deployments?limit=500"),
        optional<V1DaemonSetList>("daemonsets", "/apis/apps/v1/daemonsets?limit=500"),
        optional<V1StatefulSetList>("statefulsets", "/apis/apps/v1/statefulsets?limit=500"),
        optional<V1PodList>("pods", `/api/v1/pods?fieldSelector=${notRunning}&limit=200`),
        optional<CoreV1EventList>(
          "events",
          `/api/v1/events?fieldSelector=${encodeURIComponent("type=Warning")}&limit=200`,
        ),
      ])
    : null;
  const [nodes, [leases, metrics], details] = await Promise.all([heartbeat, light, detail]);
  const version = details?.[0] ?? null;
  const problems: WorkloadProblem[] = details
    ? workloadProblems(details[1], details[2], details[3], details[4])
    : [];
  const events: WarningEvent[] = details ? warningEvents(details[5]) : [];
  const leaseByNode = new Map(
    (leases?.items ?? []).map((l) => [l.metadata?.name ?? "", iso(l.spec?.renewTime as unknown as string)]),
  );
  const usageByNode: ReadonlyMap<string, NodeUsage> = metrics
    ? new Map(
        metrics.items.map((m) => [
          m.metadata?.name ?? "",
          { cpu: parseCpu(m.usage?.cpu), memory: parseMemory(m.usage?.memory) },
        ]),
      )
    : (plan.usage ?? new Map());
  const snapshot: ClusterSnapshot = {
    observedAt: new Date(now()).toISOString(),
    gitVersion: version?.gitVersion ?? null,
    platform: version?.platform ?? null,
    nodes: nodes.map((n) =>
      nodeSnapshot(
        n,
        leaseByNode.get(n.metadata?.name ?? "") ?? null,
        usageByNode.get(n.metadata?.name ?? ""),
      ),
    ),
    workloadProblems: problems,
    warningEvents: events,
    partialErrors,
  };
  return {
    snapshot,
    latencyMs: medianOf(timings),
    heartbeatAt,
    usage: metrics ? usageByNode : null,
  };
}

function medianOf(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort((a, b) => a - b);
  return Math.round(sorted[sorted.length >> 1] ?? 0);
}
