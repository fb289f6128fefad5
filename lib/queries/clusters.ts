import type { ClusterView, ConnectionCheck } from "@/lib/fleet/clusters";
import type { ClusterRegisterInput } from "@/lib/fleet/schemas";
import type { ConnectionResult } from "@/lib/kube/connection";
import { apiFetch } from "./api";

export type { ClusterView, ConnectionCheck };

/** JSON turns the Date in a successful result into a string. */
export type ConnectionResultJson =
  | (Omit<Extract<ConnectionResult, { isOk: true }>, "serverCertNotAfter"> & {
      serverCertNotAfter: string | null;
    })
  | Extract<ConnectionResult, { isOk: false }>;

export interface ConnectionCheckJson extends Omit<ConnectionCheck, "connection"> {
  connection: ConnectionResultJson | null;
}

// Kubeconfigs are secrets: they travel only in POST bodies (mutations), never
// in a query key, a URL or the query cache.
export const clusterKeys = {
  all: ["clusters"] as const,
  lists: () => [...clusterKeys.all, "list"] as const,
  list: (siteId: string | null) => [...clusterKeys.lists(), { siteId }] as const,
  detail: (id: string) => [...clusterKeys.all, "detail", id] as const,
};

export interface KubeconfigCheckInput {
  kubeconfig: string;
  context?: string;
  serverOverride?: string;
}

export function testKubeconfig(input: KubeconfigCheckInput): Promise<ConnectionCheckJson> {
  return apiFetch("/api/clusters/test", { method: "POST", body: input });
}

export function registerCluster(
  input: ClusterRegisterInput,
): Promise<{ cluster: ClusterView; check: ConnectionCheckJson }> {
  return apiFetch("/api/clusters", { method: "POST", body: input });
}

export function retestCluster(id: string): Promise<{ connection: ConnectionResultJson }> {
  return apiFetch(`/api/clusters/${encodeURIComponent(id)}/test`, { method: "POST" });
}

export function deleteCluster(id: string): Promise<{ ok: true }> {
  return apiFetch(`/api/clusters/${encodeURIComponent(id)}`, { method: "DELETE" });
}
