import "server-only";
import { env } from "@/lib/env";
import type { UrlPolicy } from "./url-policy";

export function clusterUrlPolicy(): UrlPolicy {
  const e = env();
  return {
    allowLoopback: e.OUTPOST_ALLOW_LOOPBACK,
    allowPrivateNetworks: e.OUTPOST_ALLOW_PRIVATE_NETWORKS,
    schemes: ["https:"],
  };
}

export function dataSourceUrlPolicy(): UrlPolicy {
  const e = env();
  return {
    allowLoopback: e.OUTPOST_ALLOW_LOOPBACK,
    allowPrivateNetworks: e.OUTPOST_ALLOW_PRIVATE_NETWORKS,
    schemes: ["https:", "http:"],
  };
}

/** Alert contact points (webhooks): http or https, same loopback/private rules as everything else. */
export function webhookUrlPolicy(): UrlPolicy {
  const e = env();
  return {
    allowLoopback: e.OUTPOST_ALLOW_LOOPBACK,
    allowPrivateNetworks: e.OUTPOST_ALLOW_PRIVATE_NETWORKS,
    schemes: ["https:", "http:"],
  };
}
