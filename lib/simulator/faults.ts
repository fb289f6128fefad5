// Fault injection: the live set of faults, their validation, and the questions
// the network layer, the clusters and the telemetry writer ask about them.
import { z } from "zod";
import { type FleetSpec, isInOfflineWindow, type SiteSpec } from "./fleet";
import type { TelemetryFaults } from "./telemetry/contract";

export const FAULT_TYPES = [
  "offline",
  "blackhole",
  "slow",
  "flapping",
  "bandwidth",
  "tls-broken",
  "cert-renewed",
  "credentials-rotated",
  "node-not-ready",
  "node-cordoned",
  "overheating",
  "telemetry-broken",
  "uplink-down",
  "temperature-hover",
  "clock-skew",
  "pod-start-delay",
] as const;

export type FaultType = (typeof FAULT_TYPES)[number];

const scope = {
  site: z.string().min(1),
  cluster: z.string().min(1).optional(),
  node: z.string().min(1).optional(),
  durationMs: z
    .number()
    .int()
    .positive()
    .max(7 * 86_400_000)
    .optional(),
};

const empty = z.object({}).strict().default({});

export const faultInputSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("offline"), ...scope, params: empty }),
  z.object({ type: z.literal("blackhole"), ...scope, params: empty }),
  z.object({
    type: z.literal("slow"),
    ...scope,
    params: z
      .object({
        latencyMs: z.number().int().min(0).max(120_000),
        jitterMs: z.number().int().min(0).max(60_000).default(0),
      })
      .strict(),
  }),
  z.object({
    type: z.literal("flapping"),
    ...scope,
    params: z
      .object({
        periodMs: z.number().int().min(200).max(3_600_000),
        upFraction: z.number().min(0.05).max(0.95).default(0.5),
      })
      .strict(),
  }),
  z.object({
    type: z.literal("bandwidth"),
    ...scope,
    params: z.object({ bytesPerSecond: z.number().int().min(64).max(1e9) }).strict(),
  }),
  z.object({
    type: z.literal("tls-broken"),
    ...scope,
    params: z
      // expired: the same certificate, past its notAfter; wrong-ca: an impostor's;
      // replaced: a new CA and certificate, as after a reinstall or a CA rotation the kubeconfig missed
      .object({ mode: z.enum(["expired", "wrong-ca", "replaced"]).default("expired") })
      .strict()
      .default({ mode: "expired" }),
  }),
  /** a new serving certificate from the same CA: a legitimate rotation clients must accept and notice */
  z.object({ type: z.literal("cert-renewed"), ...scope, params: empty }),
  z.object({ type: z.literal("credentials-rotated"), ...scope, params: empty }),
  z.object({
    type: z.literal("node-not-ready"),
    ...scope,
    params: z
      .object({ status: z.enum(["Unknown", "False"]).default("Unknown") })
      .strict()
      .default({ status: "Unknown" }),
  }),
  z.object({ type: z.literal("node-cordoned"), ...scope, params: empty }),
  z.object({
    type: z.literal("overheating"),
    ...scope,
    params: z
      .object({ celsius: z.number().min(1).max(150).default(25) })
      .strict()
      .default({ celsius: 25 }),
  }),
  z.object({ type: z.literal("telemetry-broken"), ...scope, params: empty }),
  z.object({ type: z.literal("uplink-down"), ...scope, params: empty }),
  // A board that hovers around a level (an alert threshold): center ± amplitude, one swing per period.
  z.object({
    type: z.literal("temperature-hover"),
    ...scope,
    params: z
      .object({
        celsius: z.number().min(-20).max(125),
        amplitudeC: z.number().min(0).max(20).default(3),
        periodMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
      })
      .strict(),
  }),
  // The board's clock is wrong: its telemetry carries shifted timestamps (the values stay real).
  z.object({
    type: z.literal("clock-skew"),
    ...scope,
    params: z
      .object({
        /** + ahead, − behind, up to ten years either way */
        offsetMs: z
          .number()
          .int()
          .min(-10 * 365 * 86_400_000)
          .max(10 * 365 * 86_400_000)
          .default(2 * 3_600_000),
        /** booted without a real-time clock: time starts at 1970-01-01 when the fault starts */
        isEpochBoot: z.boolean().default(false),
      })
      .strict()
      .default({ offsetMs: 2 * 3_600_000, isEpochBoot: false }),
  }),
  z.object({
    type: z.literal("pod-start-delay"),
    ...scope,
    params: z.object({ ms: z.number().int().min(0).max(3_600_000) }).strict(),
  }),
]);

export type FaultInput = z.input<typeof faultInputSchema>;
export type FaultSpec = z.output<typeof faultInputSchema>;
export type Fault = FaultSpec & {
  id: string;
  createdAt: string;
  expiresAt?: string;
  startedAtMs: number;
  expiresAtMs?: number;
};

export class FaultValidationError extends Error {
  constructor(readonly issues: { path: string; message: string }[]) {
    super(issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; "));
  }
}

export type ConnectionState = "up" | "refuse" | "blackhole";

/** What a TLS fault serves instead of the cluster's own certificate. */
export type ServedCertificate = "expired" | "wrong-ca" | "replaced" | "renewed";

export interface FaultController extends TelemetryFaults {
  list(): Fault[];
  add(input: unknown): Fault;
  remove(id: string): boolean;
  clear(): number;
  connectionState(site: string, cluster: string): ConnectionState;
  latencyMs(site: string, cluster: string): number;
  bandwidth(site: string, cluster: string): number | undefined;
  tlsBroken(site: string, cluster: string): "expired" | "wrong-ca" | "replaced" | undefined;
  /** which certificate the cluster serves: its own, or one a TLS fault put in its place */
  servedCertificate(site: string, cluster: string): ServedCertificate | undefined;
  isCredentialsRotated(site: string, cluster: string): boolean;
  /** how long new pods take to start on this cluster, when a fault says so */
  podStartMs(site: string, cluster: string): number | undefined;
  /** called by the shared ticker: drops expired faults */
  expire(): void;
  onChange(listener: (fault: Fault, change: "added" | "removed") => void): void;
}

const NODE_TYPES = new Set<FaultType>([
  "node-not-ready",
  "node-cordoned",
  "overheating",
  "temperature-hover",
  "clock-skew",
]);

export interface FaultControllerOptions {
  fleet: FleetSpec;
  now: () => number;
  startedAt: number;
  /** vehicles follow their coverage schedule (off in tests so the wall clock cannot take a site away) */
  isScheduleEnabled: boolean;
}

export function createFaultController(options: FaultControllerOptions): FaultController {
  const faults = new Map<string, Fault>();
  const listeners: ((fault: Fault, change: "added" | "removed") => void)[] = [];
  const sites = new Map<string, SiteSpec>(options.fleet.sites.map((s) => [s.slug, s]));
  let counter = 0;

  const isLive = (f: Fault) => f.expiresAtMs === undefined || f.expiresAtMs > options.now();
  const applies = (f: Fault, site: string, cluster?: string, node?: string) =>
    isLive(f) &&
    f.site === site &&
    (f.cluster === undefined || cluster === undefined || f.cluster === cluster) &&
    (f.node === undefined || node === undefined || f.node === node);
  const find = (type: FaultType, site: string, cluster?: string, node?: string): Fault | undefined => {
    for (const f of faults.values()) if (f.type === type && applies(f, site, cluster, node)) return f;
    return undefined;
  };
  const isScheduledDown = (site: string) => {
    if (!options.isScheduleEnabled) return false;
    const spec = sites.get(site);
    return spec ? isInOfflineWindow(spec, options.startedAt, options.now()) : false;
  };

  const remove = (id: string) => {
    const f = faults.get(id);
    if (!f) return false;
    faults.delete(id);
    for (const l of listeners) l(f, "removed");
    return true;
  };

  const controller: FaultController = {
    list: () => [...faults.values()].filter(isLive),
    add(input) {
      const parsed = faultInputSchema.safeParse(input);
      if (!parsed.success) {
        throw new FaultValidationError(
          parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        );
      }
      const spec = parsed.data;
      const site = sites.get(spec.site);
      if (!site) throw new FaultValidationError([{ path: "site", message: `unknown site "${spec.site}"` }]);
      const cluster = spec.cluster ? site.clusters.find((c) => c.name === spec.cluster) : undefined;
      if (spec.cluster && !cluster)
        throw new FaultValidationError([
          { path: "cluster", message: `site "${spec.site}" has no cluster "${spec.cluster}"` },
        ]);
      if (spec.node) {
        if (!NODE_TYPES.has(spec.type))
          throw new FaultValidationError([
            { path: "node", message: `fault type "${spec.type}" acts on clusters, not nodes` },
          ]);
        if (!cluster)
          throw new FaultValidationError([{ path: "cluster", message: "a node fault needs its cluster" }]);
        if (!cluster.nodes.some((n) => n.name === spec.node)) {
          throw new FaultValidationError([
            { path: "node", message: `cluster "${spec.cluster}" has no node "${spec.node}"` },
          ]);
        }
      }
      const now = options.now();
      counter++;
      const fault: Fault = {
        ...spec,
        id: `f-${counter}-${Math.floor(now).toString(36)}`,
        createdAt: new Date(now).toISOString(),
        startedAtMs: now,
        ...(spec.durationMs
          ? { expiresAtMs: now + spec.durationMs, expiresAt: new Date(now + spec.durationMs).toISOString() }
          : {}),
      };
      faults.set(fault.id, fault);
      for (const l of listeners) l(fault, "added");
      return fault;
    },
    remove,
    clear() {
      const ids = [...faults.keys()];
      for (const id of ids) remove(id);
      return ids.length;
    },
    connectionState(site, cluster) {
      if (find("offline", site, cluster) || find("uplink-down", site, cluster) || isScheduledDown(site))
        return "refuse";
      if (find("blackhole", site, cluster)) return "blackhole";
      const flap = find("flapping", site, cluster);
      if (flap && flap.type === "flapping") {
        const elapsed = options.now() - flap.startedAtMs;
        const phase = (elapsed % flap.params.periodMs) / flap.params.periodMs;
        // The first part of each period is "down" so a flap is visible as soon as it is injected.
        if (phase < 1 - flap.params.upFraction) return "refuse";
      }
      return "up";
    },
    latencyMs(site, cluster) {
      const f = find("slow", site, cluster);
      if (f?.type !== "slow") return 0;
      return f.params.latencyMs + Math.floor(Math.random() * (f.params.jitterMs + 1));
    },
    bandwidth(site, cluster) {
      const f = find("bandwidth", site, cluster);
      return f && f.type === "bandwidth" ? f.params.bytesPerSecond : undefined;
    },
    tlsBroken(site, cluster) {
      const f = find("tls-broken", site, cluster);
      return f && f.type === "tls-broken" ? f.params.mode : undefined;
    },
    servedCertificate(site, cluster) {
      return (
        controller.tlsBroken(site, cluster) ?? (find("cert-renewed", site, cluster) ? "renewed" : undefined)
      );
    },
    isCredentialsRotated: (site, cluster) => find("credentials-rotated", site, cluster) !== undefined,
    podStartMs(site, cluster) {
      const f = find("pod-start-delay", site, cluster);
      return f && f.type === "pod-start-delay" ? f.params.ms : undefined;
    },
    isUplinkDown: (site) => find("uplink-down", site) !== undefined || isScheduledDown(site),
    isTelemetryBroken: (site, cluster) => find("telemetry-broken", site, cluster) !== undefined,
    overheatCelsius(site, cluster, node) {
      const f = find("overheating", site, cluster, node);
      return f && f.type === "overheating" ? f.params.celsius : 0;
    },
    hoverCelsius(site, cluster, node) {
      const f = find("temperature-hover", site, cluster, node);
      return f && f.type === "temperature-hover" ? { ...f.params, startedAtMs: f.startedAtMs } : null;
    },
    clockOffsetMs(site, cluster, node) {
      const f = find("clock-skew", site, cluster, node);
      if (f?.type !== "clock-skew") return 0;
      // An epoch boot counts up from 1970 from the moment the board "booted" (the fault started).
      return f.params.isEpochBoot ? -f.startedAtMs : f.params.offsetMs;
    },
    isNodeDown: (site, cluster, node) =>
      find("node-not-ready", site, cluster, node) !== undefined ||
      find("offline", site, cluster) !== undefined,
    expire() {
      const now = options.now();
      for (const f of [...faults.values()])
        if (f.expiresAtMs !== undefined && f.expiresAtMs <= now) remove(f.id);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
  return controller;
}
