// Helpers shared by the simulator's tests and by Outpost's integration tests.
import * as k8s from "@kubernetes/client-node";
import { type FleetSpec, store, vehicle, windFarm } from "./fleet";
import { createRng } from "./prng";
import type { KubeconfigRequest, SimulatorHandle } from "./simulator";

/** Four small sites: a 3-node store, a 1-node store, a truck (own port) and a 2-turbine farm. */
export function smallFleet(seed = 11): FleetSpec {
  const rng = createRng(seed);
  return {
    seed,
    sites: [
      store("store-alpha-01", "Alpha store", 52.5, 13.4, "DE", 3, rng, "rpi"),
      store("store-beta-01", "Beta store", 48.1, 11.6, "DE", 1, rng, "nuc"),
      vehicle("truck-001", "Service truck 001", 50.1, 8.6, rng),
      windFarm("wf-test-1", "Test Wind 1", 54.3, 6.2, 2, rng),
    ],
  };
}

export function kubeConfigFor(
  sim: SimulatorHandle,
  site: string,
  cluster: string,
  request?: KubeconfigRequest,
): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(sim.kubeconfigFor(site, cluster, request));
  return kc;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

/** A request with the kubeconfig's credentials and TLS settings, for what client-node has no call for. */
export async function rawRequest(
  kc: k8s.KubeConfig,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const cluster = kc.getCurrentCluster();
  const options = (await kc.applyToFetchOptions({})) as { headers?: Record<string, string> };
  const { default: fetch } = await import("node-fetch");
  const res = await fetch(`${cluster?.server}${path}`, {
    ...(options as object),
    method: init.method ?? "GET",
    headers: { ...(options.headers ?? {}), ...(init.headers ?? {}) },
    body: init.body,
    redirect: "manual",
  } as never);
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers as unknown as Headers, json, text };
}

export async function postJson(
  url: string,
  body: unknown,
  method = "POST",
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/** The HTTP status carried by a client-node ApiException (or undefined for transport errors). */
export function statusOf(err: unknown): number | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof err.code === "number"
    ? err.code
    : undefined;
}

/** The parsed Status body of a client-node ApiException. */
export function statusBody(err: unknown): {
  reason?: string;
  code?: number;
  message?: string;
  details?: { causes?: { field?: string; message?: string; reason?: string }[] };
} {
  if (typeof err !== "object" || err === null || !("body" in err)) return {};
  const body = (err as { body: unknown }).body;
  if (typeof body === "string") {
    try {
      return JSON.parse(body);
    } catch {
      return {};
    }
  }
  return (body ?? {}) as ReturnType<typeof statusBody>;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  stepMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
}
