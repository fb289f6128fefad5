import "server-only";
import { env } from "@/lib/env";
import { SiteGate } from "./site-gate";

// The deploy runner's knobs (from lib/env.ts) and its per-process shared parts.

export const QUEUES = {
  preview: "deploy.preview",
  apply: "deploy.apply",
  check: "deploy.check",
  drift: "deploy.drift",
} as const;

export interface DeploySettings {
  tickMs: number;
  checkMs: number;
  concurrency: number;
  siteConcurrency: number;
  requestTimeoutMs: number;
  driftMs: number;
}

export function deploySettings(): DeploySettings {
  const e = env();
  return {
    tickMs: e.OUTPOST_DEPLOY_TICK_MS,
    checkMs: e.OUTPOST_DEPLOY_CHECK_MS,
    concurrency: e.OUTPOST_DEPLOY_CONCURRENCY,
    siteConcurrency: e.OUTPOST_DEPLOY_SITE_CONCURRENCY,
    requestTimeoutMs: e.OUTPOST_DEPLOY_REQUEST_TIMEOUT_MS,
    driftMs: e.OUTPOST_DEPLOY_DRIFT_MINUTES * 60_000,
  };
}

let gate: SiteGate | null = null;

/** One per process: every deploy job of this process shares the per-site limit. */
export function siteGate(): SiteGate {
  gate ??= new SiteGate(deploySettings().siteConcurrency);
  return gate;
}
