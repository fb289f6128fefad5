import "server-only";
import { db } from "@/lib/db/client";
import { type ClusterClient, openClusterClient } from "@/lib/kube/cluster-client";
import { clusterUrlPolicy } from "@/lib/net/policy";
import { decryptSecret } from "@/lib/secrets/crypto";

// Cluster clients for deploy work, kept open between a target's preflight,
// apply and its health checks (one TLS handshake, one keep-alive socket per
// cluster), closed when idle, bounded in number.

const MAX_OPEN = 256;
const IDLE_MS = 60_000;

interface Entry {
  client: Promise<ClusterClient>;
  /** the cluster row's updatedAt: a new kubeconfig means a new client */
  version: number;
  lastUsed: number;
}

const open = new Map<string, Entry>();
let sweeper: NodeJS.Timeout | null = null;

function closeEntry(id: string, entry: Entry): void {
  open.delete(id);
  void entry.client.then((c) => c.close()).catch(() => {});
}

function sweep(): void {
  const now = Date.now();
  for (const [id, entry] of open) if (now - entry.lastUsed > IDLE_MS) closeEntry(id, entry);
  if (open.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}

export class ClusterGone extends Error {}

/** A client for the cluster; throws ClusterGone when the cluster was removed from Outpost. */
export async function clientFor(clusterId: string): Promise<ClusterClient> {
  const row = await db().cluster.findUnique({
    where: { id: clusterId },
    select: { kubeconfigEnc: true, updatedAt: true },
  });
  if (!row) throw new ClusterGone(`the cluster was removed from Outpost`);
  const version = row.updatedAt.getTime();
  const cached = open.get(clusterId);
  if (cached && cached.version === version) {
    cached.lastUsed = Date.now();
    return cached.client;
  }
  if (cached) closeEntry(clusterId, cached);
  if (open.size >= MAX_OPEN) {
    const oldest = [...open.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
    if (oldest) closeEntry(oldest[0], oldest[1]);
  }
  const client = openClusterClient(decryptSecret(row.kubeconfigEnc), clusterUrlPolicy(), {
    idleTimeoutMs: IDLE_MS,
  });
  const entry: Entry = { client, version, lastUsed: Date.now() };
  open.set(clusterId, entry);
  client.catch(() => open.delete(clusterId));
  sweeper ??= setInterval(sweep, IDLE_MS / 2);
  sweeper.unref();
  return client;
}

/** Closes every client (shutdown, tests). */
export function closeAllClients(): void {
  for (const [id, entry] of open) closeEntry(id, entry);
}
