// How a rollout moves through the fleet: canary, waves, concurrency, soak, gates,
// failure threshold and action, expiry. One schema (zod) for the API, the CLI and
// the UI, with the defaults a careful operator expects: a canary of one, waves of
// 10 % / 50 % / 100 %, 5 min soak, pause on the first failure, 72 h expiry.
import { z } from "zod";

export const DEFAULT_SOAK_SECONDS = 300;
export const DEFAULT_EXPIRY_HOURS = 72;
export const DEFAULT_ROLLOUT_TIMEOUT_SECONDS = 600;

const labelKey = z
  .string()
  .min(1)
  .max(253)
  .regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, "must be a label key");

export const wavesSchema = z.discriminatedUnion("by", [
  z.object({ by: z.literal("all") }).strict(),
  z
    .object({
      by: z.literal("percent"),
      /** cumulative shares of the targets after the canary, e.g. [10, 50, 100] */
      steps: z
        .array(z.number().int().min(1).max(100))
        .min(1)
        .max(20)
        .refine((s) => s.every((v, i) => i === 0 || v > (s[i - 1] as number)), "steps must increase"),
    })
    .strict(),
  z.object({ by: z.literal("count"), size: z.number().int().min(1).max(100_000) }).strict(),
  /** one site per wave (one wind farm at a time) */
  z.object({ by: z.literal("site") }).strict(),
  /** one value of a site or cluster label per wave (region=eu, then region=us, …) */
  z
    .object({ by: z.literal("label"), key: labelKey, scope: z.enum(["site", "cluster"]).default("site") })
    .strict(),
]);

export const strategySchema = z
  .object({
    canary: z
      .object({
        /** named canary clusters (ids); when empty, the first `count` targets */
        clusterIds: z.array(z.string().min(1)).max(1000).default([]),
        count: z.number().int().min(0).max(1000).default(1),
      })
      .strict()
      .default({ clusterIds: [], count: 1 }),
    waves: wavesSchema.default({ by: "percent", steps: [10, 50, 100] }),
    /** targets being applied or rolling out at once, across the rollout */
    maxInFlight: z.number().int().min(1).max(1000).default(20),
    /** at once per site: the turbines of a farm share one uplink */
    maxInFlightPerSite: z.number().int().min(1).max(100).default(2),
    soakSeconds: z.number().int().min(0).max(86_400).default(DEFAULT_SOAK_SECONDS),
    /** how long workloads may take to become ready after the apply */
    rolloutTimeoutSeconds: z.number().int().min(1).max(86_400).default(DEFAULT_ROLLOUT_TIMEOUT_SECONDS),
    /** failures a wave tolerates before the failure action; both limits apply when set */
    failureThreshold: z
      .object({
        maxFailed: z.number().int().min(0).max(100_000).default(0),
        maxFailedPercent: z.number().min(0).max(100).optional(),
      })
      .strict()
      .default({ maxFailed: 0 }),
    failureAction: z.enum(["pause", "continue"]).default("pause"),
    /** the site must not be newly degraded after the apply */
    requireSiteHealthy: z.boolean().default(true),
    /** unreachable targets wait this long for their site, then expire */
    expiryHours: z.number().min(0.001).max(720).default(DEFAULT_EXPIRY_HOURS),
  })
  .strict();

export type Strategy = z.output<typeof strategySchema>;
export type StrategyInput = z.input<typeof strategySchema>;
export type WavesSpec = Strategy["waves"];

export function strategyWith(input: StrategyInput = {}): Strategy {
  return strategySchema.parse(input);
}

/** A one-line description for lists and audit records. */
export function describeStrategy(s: Strategy): string {
  const canary =
    s.canary.clusterIds.length > 0
      ? `canary ${s.canary.clusterIds.length} named`
      : s.canary.count > 0
        ? `canary ${s.canary.count}`
        : "no canary";
  const waves =
    s.waves.by === "all"
      ? "then all at once"
      : s.waves.by === "percent"
        ? `then ${s.waves.steps.map((p) => `${p} %`).join(" / ")}`
        : s.waves.by === "count"
          ? `then ${s.waves.size} at a time`
          : s.waves.by === "site"
            ? "then one site at a time"
            : `then by ${s.waves.scope} label ${s.waves.key}`;
  return `${canary}, ${waves}; ${s.maxInFlight} in flight (${s.maxInFlightPerSite} per site); soak ${s.soakSeconds} s; ${s.failureAction} after ${s.failureThreshold.maxFailed} failed`;
}
