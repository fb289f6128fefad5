import "server-only";
import type { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Cluster } from "@/lib/generated/prisma/client";
import { type ConnectionResult, testConnection } from "@/lib/kube/connection";
import { type KubeconfigFacts, sanitizeKubeconfig } from "@/lib/kube/kubeconfig";
import { clusterUrlPolicy } from "@/lib/net/policy";
import { checkUrl } from "@/lib/net/url-policy";
import { decryptSecret, encryptSecret } from "@/lib/secrets/crypto";
import {
  type ClusterRegisterInput,
  clusterRegisterSchema,
  kubeconfigInputSchema,
  labelsSchema,
} from "./schemas";
import { markSitesDue } from "./summary/marks";

/** What the browser may see of a cluster: never the kubeconfig. */
export interface ClusterView {
  id: string;
  siteId: string;
  name: string;
  server: string;
  tlsServerName: string | null;
  contextName: string;
  authKind: string;
  labels: Record<string, string>;
  k3sVersion: string | null;
  platform: string | null;
  certNotAfter: string | null;
  lastTestedAt: string | null;
  createdAt: string;
}

export function toClusterView(c: Cluster): ClusterView {
  let labels: Record<string, string> = {};
  try {
    labels = labelsSchema.parse(JSON.parse(c.labels));
  } catch {
    labels = {};
  }
  return {
    id: c.id,
    siteId: c.siteId,
    name: c.name,
    server: c.server,
    tlsServerName: c.tlsServerName || null,
    contextName: c.contextName,
    authKind: c.authKind,
    labels,
    k3sVersion: c.k3sVersion,
    platform: c.platform,
    certNotAfter: c.certNotAfter?.toISOString() ?? null,
    lastTestedAt: c.lastTestedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

export type ConnectionCheck = {
  facts: Omit<KubeconfigFacts, "clientCertNotAfter"> & { clientCertNotAfter: string | null };
  connection: ConnectionResult | null;
  /** the server is loopback:6443, i.e. a k3s.yaml copied off the node: ask for the reachable address */
  needsServerAddress: boolean;
};

function publicFacts(facts: KubeconfigFacts): ConnectionCheck["facts"] {
  return { ...facts, clientCertNotAfter: facts.clientCertNotAfter?.toISOString() ?? null };
}

/** Validates and (when the address is usable) calls /version. Stores nothing. */
export async function checkKubeconfig(
  raw: z.input<typeof kubeconfigInputSchema>,
): Promise<ConnectionCheck & { yaml: string }> {
  const input = kubeconfigInputSchema.parse(raw);
  const { yaml, facts } = sanitizeKubeconfig(input.kubeconfig, {
    context: input.context,
    serverOverride: input.serverOverride,
  });
  if (facts.isCopiedK3sAddress) {
    return { yaml, facts: publicFacts(facts), connection: null, needsServerAddress: true };
  }
  await checkUrl(facts.server, clusterUrlPolicy(), {
    field: input.serverOverride ? "serverOverride" : "cluster.server",
  });
  return {
    yaml,
    facts: publicFacts(facts),
    connection: await testConnection(yaml),
    needsServerAddress: false,
  };
}

function versionData(connection: ConnectionResult | null) {
  return connection?.isOk
    ? { k3sVersion: connection.gitVersion, platform: connection.platform, lastTestedAt: new Date() }
    : {};
}

export async function registerCluster(
  raw: ClusterRegisterInput,
): Promise<{ cluster: ClusterView; check: ConnectionCheck }> {
  const input = clusterRegisterSchema.parse(raw);
  const site = await db().site.findUnique({ where: { id: input.siteId } });
  if (!site)
    throw new AppError("validation_failed", "Site not found", {
      issues: [{ path: "siteId", message: "choose an existing site" }],
    });
  const { yaml, ...check } = await checkKubeconfig(input);
  if (check.needsServerAddress) {
    throw new AppError(
      "kubeconfig_rejected",
      `The server address ${check.facts.server} is the node's own loopback (a copied k3s.yaml). Enter the address Outpost can reach.`,
      {
        issues: [
          {
            path: "serverOverride",
            message: "enter the reachable API server address, e.g. https://10.20.0.5:6443",
          },
        ],
      },
    );
  }
  if (!check.connection?.isOk && !input.allowUnreachable) {
    throw new AppError(
      "cluster_unreachable",
      `Connection test failed: ${check.connection?.message ?? "not tested"}`,
      {
        issues: [
          {
            path: "kubeconfig",
            message: `${check.connection?.message ?? "not tested"}; save anyway if the site is offline now`,
          },
        ],
      },
    );
  }
  const existing = await db().cluster.findUnique({
    where: {
      server_tlsServerName_name: {
        server: check.facts.server,
        tlsServerName: check.facts.tlsServerName ?? "",
        name: input.name,
      },
    },
  });
  if (existing) {
    throw new AppError(
      "conflict",
      `Cluster "${input.name}" at ${check.facts.server}${check.facts.tlsServerName ? ` (${check.facts.tlsServerName})` : ""} is already registered`,
      {
        issues: [{ path: "name", message: "already registered for this server" }],
      },
    );
  }
  const [row] = await db().$transaction([
    db().cluster.create({
      data: {
        siteId: input.siteId,
        name: input.name,
        server: check.facts.server,
        tlsServerName: check.facts.tlsServerName ?? "",
        contextName: check.facts.contextName,
        authKind: check.facts.authKind,
        kubeconfigEnc: encryptSecret(yaml),
        labels: JSON.stringify(input.labels),
        certNotAfter: check.facts.clientCertNotAfter ? new Date(check.facts.clientCertNotAfter) : null,
        ...versionData(check.connection),
      },
    }),
    ...markSitesDue([input.siteId]),
  ]);
  return { cluster: toClusterView(row), check };
}

export async function listClusters(siteId?: string): Promise<ClusterView[]> {
  const rows = await db().cluster.findMany({ where: siteId ? { siteId } : {}, orderBy: { name: "asc" } });
  return rows.map(toClusterView);
}

export async function getCluster(id: string): Promise<ClusterView | null> {
  const row = await db().cluster.findUnique({ where: { id } });
  return row ? toClusterView(row) : null;
}

export async function deleteCluster(id: string): Promise<void> {
  const cluster = await db().cluster.findUnique({ where: { id }, select: { siteId: true } });
  const [{ count }] = await db().$transaction([
    db().cluster.deleteMany({ where: { id } }),
    ...markSitesDue(cluster ? [cluster.siteId] : []),
  ]);
  if (count === 0) throw new AppError("not_found", "Cluster not found");
}

/** Server-side only: the decrypted kubeconfig for talking to the cluster. */
export async function kubeconfigFor(clusterId: string): Promise<string> {
  const row = await db().cluster.findUnique({ where: { id: clusterId }, select: { kubeconfigEnc: true } });
  if (!row) throw new AppError("not_found", "Cluster not found");
  return decryptSecret(row.kubeconfigEnc);
}

/** Re-tests a stored cluster and records what it reports. */
export async function retestCluster(id: string): Promise<ConnectionResult> {
  const result = await testConnection(await kubeconfigFor(id));
  if (result.isOk) {
    const row = await db().cluster.update({ where: { id }, data: versionData(result) });
    await db().$transaction(markSitesDue([row.siteId]));
  }
  return result;
}
