// One simulated k3s cluster: its credentials, its lazily materialised object
// store, and the node-level state that faults drive.
import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import tls from "node:tls";
import type { ServedCertificate } from "./faults";
import type { ClusterSpec, SiteSpec } from "./fleet";
import { isHelmJob, JOBS, reconcileHelmChart, reconcileJob } from "./k8s/jobs";
import { HELMCHARTS, LEASES, seedCluster } from "./k8s/seed";
import { ClusterStore } from "./k8s/store";
import { isoTime, type JsonRecord, type K8sObject } from "./k8s/types";
import {
  DAEMONSETS,
  DEPLOYMENTS,
  NODES,
  PODS,
  reconcileBarePods,
  reconcileDeployment,
  reconcilePodSet,
  STATEFULSETS,
  type WorkloadContext,
} from "./k8s/workloads";
import { createCa, generateKeyPair, type IssuedCert, issueCert } from "./pki";
import { createRng, type Rng } from "./prng";

export const SIM_DOMAIN = "sim.outpost.internal";
const DAY_MS = 86_400_000;

export interface RuntimeOptions {
  now: () => number;
  podStartMs: number;
  deadlineScale: number;
  historyLimit: number;
  maxEvents: number;
  startedAt: number;
}

export interface Identity {
  user: string;
  groups: string[];
  isReadOnly: boolean;
}

export interface ClusterPki {
  serverCa: IssuedCert;
  serverCert: IssuedCert;
  clientCa: IssuedCert;
  adminCert: IssuedCert;
  adminToken: string;
  readOnlyToken: string;
}

export function serverNameFor(site: string, cluster: string): string {
  return `${cluster}.${site}.${SIM_DOMAIN}`;
}

export function issueClusterPki(spec: ClusterSpec, serverName: string, nowMs: number, rng: Rng): ClusterPki {
  const now = new Date(nowMs);
  const stamp = Math.floor(nowMs / 1000) - (spec.seed % 10_000_000);
  const serverCa = createCa(`k3s-server-ca@${stamp}`, now);
  const clientCa = createCa(`k3s-client-ca@${stamp}`, now);
  const serverCert = issueCert(
    {
      commonName: "k3s",
      organization: "k3s",
      usage: "server",
      dnsNames: [
        serverName,
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
        "localhost",
      ],
      ipAddresses: ["127.0.0.1", "10.43.0.1"],
      notBefore: new Date(nowMs - DAY_MS),
      notAfter: new Date(nowMs + 365 * DAY_MS),
    },
    generateKeyPair(),
    serverCa,
  );
  const adminCert = issueCert(
    {
      commonName: "system:admin",
      organization: "system:masters",
      usage: "client",
      notBefore: new Date(nowMs - DAY_MS),
      notAfter: new Date(nowMs + spec.clientCertDays * DAY_MS),
    },
    generateKeyPair(),
    clientCa,
  );
  return {
    serverCa,
    serverCert,
    clientCa,
    adminCert,
    adminToken: `sim-admin.${rng.hex(32)}`,
    readOnlyToken: `sim-view.${rng.hex(32)}`,
  };
}

interface PeerCert {
  cn: string;
  groups: string[];
  validFrom: number;
  validTo: number;
  isIssuedByClientCa: boolean;
}

export class ClusterRuntime {
  readonly serverName: string;
  readonly sockets = new Set<TLSSocket>();
  private storeInstance?: ClusterStore;
  private secureContext?: tls.SecureContext;
  private readonly brokenContexts = new Map<string, tls.SecureContext>();
  private readonly peerCache = new WeakMap<TLSSocket, PeerCert | null>();
  private workCtx?: WorkloadContext;
  /** nodes the fault layer currently holds NotReady, and since when */
  readonly nodeDownSince = new Map<string, number>();
  /** nodes the fault layer cordoned (so clearing the fault uncordons only those) */
  readonly faultCordoned = new Set<string>();
  isBusy = false;
  listenPort = 0;
  /** a pod-start-delay fault's value, replacing the simulator-wide podStartMs while it lasts */
  private podStartOverrideMs?: number;

  constructor(
    readonly site: SiteSpec,
    readonly spec: ClusterSpec,
    readonly pki: ClusterPki,
    private readonly options: RuntimeOptions,
  ) {
    this.serverName = serverNameFor(site.slug, spec.name);
  }

  now(): number {
    return this.options.now();
  }

  get isMaterialized(): boolean {
    return this.storeInstance !== undefined;
  }

  get store(): ClusterStore {
    if (!this.storeInstance) this.materialize();
    return this.storeInstance as ClusterStore;
  }

  get workloads(): WorkloadContext {
    if (!this.workCtx) this.materialize();
    return this.workCtx as WorkloadContext;
  }

  private materialize(): void {
    const now = this.options.now();
    const store = new ClusterStore(100 + (this.spec.seed % 900), this.options.historyLimit, this.options.now);
    this.storeInstance = store;
    this.workCtx = {
      store,
      rng: createRng(this.spec.seed),
      now: this.options.now,
      podStartMs: this.podStartOverrideMs ?? this.options.podStartMs,
      deadlineScale: this.options.deadlineScale,
      podDueAt: new Map(),
      progressAt: new Map(),
      maxEvents: this.options.maxEvents,
    };
    const { workloads } = seedCluster(store, this.spec, now, this.pki.serverCa.cert);
    for (const w of workloads) {
      if (w.kind === "Deployment") reconcileDeployment(this.workCtx, w, true);
      else reconcilePodSet(this.workCtx, w.kind === "DaemonSet" ? DAEMONSETS : STATEFULSETS, w, true);
    }
    for (const chart of store.list(HELMCHARTS)) reconcileHelmChart(this.workCtx, chart, true);
    store.compactAll();
  }

  setPodStartMs(ms: number | undefined): void {
    this.podStartOverrideMs = ms;
    if (this.workCtx) this.workCtx.podStartMs = ms ?? this.options.podStartMs;
  }

  /** Advances controllers; returns whether anything is still in flight. */
  reconcile(): boolean {
    if (!this.storeInstance) return false;
    const ctx = this.workloads;
    let isBusy = false;
    for (const dep of this.store.list(DEPLOYMENTS)) {
      if (reconcileDeployment(ctx, dep)) isBusy = true;
    }
    for (const ds of this.store.list(DAEMONSETS)) if (reconcilePodSet(ctx, DAEMONSETS, ds)) isBusy = true;
    for (const sts of this.store.list(STATEFULSETS))
      if (reconcilePodSet(ctx, STATEFULSETS, sts)) isBusy = true;
    if (reconcileBarePods(ctx)) isBusy = true;
    for (const chart of this.store.list(HELMCHARTS)) if (reconcileHelmChart(ctx, chart)) isBusy = true;
    for (const job of this.store.list(JOBS)) if (!isHelmJob(job) && reconcileJob(ctx, job)) isBusy = true;
    this.isBusy = isBusy;
    return isBusy;
  }

  getSecureContext(served?: ServedCertificate): tls.SecureContext {
    if (!served) {
      this.secureContext ??= tls.createSecureContext({
        cert: this.pki.serverCert.cert,
        key: this.pki.serverCert.key,
        ca: this.pki.clientCa.cert,
      });
      return this.secureContext;
    }
    let ctx = this.brokenContexts.get(served);
    if (!ctx) {
      const now = this.now();
      const request = (notBefore: number, notAfter: number) => ({
        commonName: "k3s",
        organization: "k3s",
        usage: "server" as const,
        dnsNames: [this.serverName, "localhost"],
        ipAddresses: ["127.0.0.1"],
        notBefore: new Date(notBefore),
        notAfter: new Date(notAfter),
      });
      const issuer = {
        expired: this.pki.serverCa,
        renewed: this.pki.serverCa,
        "wrong-ca": createCa("k3s-server-ca@impostor", new Date(now)),
        // What k3s does when it is reinstalled or its CA rotated: a new CA of the same name shape.
        replaced: createCa(`k3s-server-ca@${Math.floor(now / 1000)}`, new Date(now)),
      }[served];
      const cert =
        served === "expired"
          ? issueCert(request(now - 400 * DAY_MS, now - DAY_MS), generateKeyPair(), issuer)
          : issueCert(request(now - DAY_MS, now + 365 * DAY_MS), generateKeyPair(), issuer);
      ctx = tls.createSecureContext({ cert: cert.cert, key: cert.key, ca: this.pki.clientCa.cert });
      this.brokenContexts.set(served, ctx);
    }
    return ctx;
  }

  private peerCert(socket: TLSSocket): PeerCert | null {
    const cached = this.peerCache.get(socket);
    if (cached !== undefined) return cached;
    let result: PeerCert | null = null;
    const x509 = socket.getPeerX509Certificate?.();
    if (x509) {
      const ca = new X509Certificate(this.pki.clientCa.cert);
      const subject = x509.subject.split("\n");
      result = {
        cn: subject.find((s) => s.startsWith("CN="))?.slice(3) ?? "",
        groups: subject.filter((s) => s.startsWith("O=")).map((s) => s.slice(2)),
        validFrom: Date.parse(x509.validFrom),
        validTo: Date.parse(x509.validTo),
        isIssuedByClientCa: x509.checkIssued(ca) && x509.verify(ca.publicKey),
      };
    }
    this.peerCache.set(socket, result);
    return result;
  }

  /** Client certificates first, then bearer tokens, as the apiserver's union authenticator does. */
  authenticate(socket: TLSSocket, authorization: string | undefined): Identity | null {
    const now = this.now();
    const peer = this.peerCert(socket);
    if (peer?.isIssuedByClientCa && now >= peer.validFrom && now <= peer.validTo) {
      return {
        user: peer.cn,
        groups: [...peer.groups, "system:authenticated"],
        isReadOnly: !peer.groups.includes("system:masters"),
      };
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
    const token = match?.[1];
    if (token === this.pki.adminToken)
      return { user: "sim:admin", groups: ["system:masters", "system:authenticated"], isReadOnly: false };
    if (token === this.pki.readOnlyToken)
      return { user: "sim:viewer", groups: ["system:authenticated"], isReadOnly: true };
    return null;
  }

  /** Nodes and leases carry heartbeat times derived from the clock, so 10,000 nodes need no timers. */
  render(resource: string, obj: K8sObject): K8sObject {
    if (resource === "/nodes") return this.renderNode(obj);
    if (resource === "coordination.k8s.io/leases" && obj.metadata.namespace === "kube-node-lease")
      return this.renderLease(obj);
    return obj;
  }

  private heartbeat(period: number, nodeName: string): number {
    const downSince = this.nodeDownSince.get(nodeName);
    const now = downSince ?? this.now();
    const phase = (this.spec.seed + nodeName.length * 977) % period;
    return Math.floor((now - phase) / period) * period + phase;
  }

  private renderNode(node: K8sObject): K8sObject {
    const status = (node.status ?? {}) as JsonRecord;
    const conditions = (status.conditions ?? []) as JsonRecord[];
    // kubelet re-posts unchanged node status every 5 minutes (nodeStatusReportFrequency); the lease is the fast heartbeat
    const beat = isoTime(this.heartbeat(300_000, node.metadata.name));
    return {
      ...node,
      status: {
        ...status,
        conditions: conditions.map((c) =>
          this.nodeDownSince.has(node.metadata.name) ? c : { ...c, lastHeartbeatTime: beat },
        ),
      },
    };
  }

  private renderLease(lease: K8sObject): K8sObject {
    const spec = (lease.spec ?? {}) as JsonRecord;
    if (spec.holderIdentity !== lease.metadata.name) return lease;
    const renew = new Date(this.heartbeat(10_000, lease.metadata.name)).toISOString().replace("Z", "000Z");
    return { ...lease, spec: { ...spec, renewTime: renew } };
  }

  setNodeDown(nodeName: string, mode: "Unknown" | "False" | null): void {
    const node = this.store.get(NODES, undefined, nodeName);
    if (!node) return;
    const now = this.now();
    const at = isoTime(now);
    const status = (node.status ?? {}) as JsonRecord;
    const spec = (node.spec ?? {}) as JsonRecord;
    const conditions = (status.conditions ?? []) as JsonRecord[];
    const otherTaints = ((spec.taints ?? []) as JsonRecord[]).filter(
      (t) => t.key !== "node.kubernetes.io/unreachable" && t.key !== "node.kubernetes.io/not-ready",
    );
    let nextConditions: JsonRecord[];
    let taints: JsonRecord[];
    if (mode) {
      if (!this.nodeDownSince.has(nodeName)) this.nodeDownSince.set(nodeName, now);
      const lastBeat = isoTime(this.heartbeat(10_000, nodeName));
      nextConditions = conditions.map((c) => {
        if (mode === "Unknown") {
          return {
            ...c,
            status: "Unknown",
            reason: "NodeStatusUnknown",
            message: "Kubelet stopped posting node status.",
            lastHeartbeatTime: lastBeat,
            lastTransitionTime: at,
          };
        }
        if (c.type !== "Ready") return { ...c, lastHeartbeatTime: at };
        return {
          ...c,
          status: "False",
          reason: "KubeletNotReady",
          message: "container runtime status check may not have completed yet",
          lastHeartbeatTime: at,
          lastTransitionTime: at,
        };
      });
      const key = mode === "Unknown" ? "node.kubernetes.io/unreachable" : "node.kubernetes.io/not-ready";
      taints = [
        ...otherTaints,
        { key, effect: "NoSchedule", timeAdded: at },
        { key, effect: "NoExecute", timeAdded: at },
      ];
    } else {
      if (!this.nodeDownSince.has(nodeName)) return;
      this.nodeDownSince.delete(nodeName);
      const healthy: Record<string, [string, string, string]> = {
        MemoryPressure: ["False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"],
        DiskPressure: ["False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"],
        PIDPressure: ["False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"],
        Ready: ["True", "KubeletReady", "kubelet is posting ready status"],
      };
      nextConditions = conditions.map((c) => {
        const [s, reason, message] = healthy[String(c.type)] ?? ["False", "", ""];
        return { ...c, status: s, reason, message, lastHeartbeatTime: at, lastTransitionTime: at };
      });
      taints = otherTaints;
    }
    const nextSpec: JsonRecord = { ...spec, taints };
    if (taints.length === 0) delete nextSpec.taints;
    this.store.update(NODES, { ...node, spec: nextSpec, status: { ...status, conditions: nextConditions } });
    this.markPodsOnNode(nodeName, mode === null);
  }

  /** The node lifecycle controller flips pods on an unreachable node to not-ready. */
  private markPodsOnNode(nodeName: string, isReady: boolean): void {
    const at = isoTime(this.now());
    for (const pod of this.store.list(PODS)) {
      const spec = (pod.spec ?? {}) as JsonRecord;
      const status = (pod.status ?? {}) as JsonRecord;
      if (spec.nodeName !== nodeName || status.phase !== "Running") continue;
      const conditions = ((status.conditions ?? []) as JsonRecord[]).map((c) =>
        c.type === "Ready" || c.type === "ContainersReady"
          ? { ...c, status: isReady ? "True" : "False", lastTransitionTime: at }
          : c,
      );
      this.store.update(PODS, { ...pod, status: { ...status, conditions } });
    }
    this.reconcile();
  }

  setNodeCordoned(nodeName: string, isCordoned: boolean): void {
    const node = this.store.get(NODES, undefined, nodeName);
    if (!node) return;
    if (!isCordoned && !this.faultCordoned.has(nodeName)) return;
    if (isCordoned && this.faultCordoned.has(nodeName)) return;
    const spec = { ...((node.spec ?? {}) as JsonRecord) };
    const taints = ((spec.taints ?? []) as JsonRecord[]).filter(
      (t) => t.key !== "node.kubernetes.io/unschedulable",
    );
    if (isCordoned) {
      this.faultCordoned.add(nodeName);
      spec.unschedulable = true;
      taints.push({
        key: "node.kubernetes.io/unschedulable",
        effect: "NoSchedule",
        timeAdded: isoTime(this.now()),
      });
    } else {
      this.faultCordoned.delete(nodeName);
      delete spec.unschedulable;
    }
    if (taints.length > 0) spec.taints = taints;
    else delete spec.taints;
    this.store.update(NODES, { ...node, spec });
  }

  /** Exposes LEASES for callers that want to read a node's heartbeat without going over HTTPS. */
  leaseOf(nodeName: string): K8sObject | undefined {
    const lease = this.store.get(LEASES, "kube-node-lease", nodeName);
    return lease ? this.render("coordination.k8s.io/leases", lease) : undefined;
  }
}
