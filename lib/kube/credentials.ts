import "server-only";
import { parse } from "yaml";
import { AppError } from "@/lib/errors";

// What the cluster client needs from a stored kubeconfig: where the API is and
// how to prove who we are. Stored kubeconfigs are sanitized at registration
// (lib/kube/kubeconfig.ts: inline data and bearer tokens only), so this reads
// exactly those fields and nothing else. It replaces client-node's KubeConfig
// on the polling path: importing client-node costs ~70 MB of RSS per process
// (its generated API models), for a few lines of YAML.

export interface ClusterCredentials {
  server: string;
  /** SNI / verification name when it differs from the server's host */
  tlsServerName: string | null;
  /** PEM; null: the platform's trusted roots */
  ca: Buffer | null;
  /** PEM client certificate and key, when the user authenticates with one */
  cert: Buffer | null;
  key: Buffer | null;
  /** bearer token, when the user authenticates with one */
  token: string | null;
}

type Named<K extends string> = { name?: unknown } & Partial<Record<K, Record<string, unknown>>>;

function refuse(message: string): never {
  throw new AppError("kubeconfig_rejected", message);
}

const pem = (value: unknown): Buffer | null =>
  typeof value === "string" && value !== "" ? Buffer.from(value, "base64") : null;

export function readCredentials(kubeconfigYaml: string): ClusterCredentials {
  const doc = parse(kubeconfigYaml, { maxAliasCount: 0 }) as {
    "current-context"?: unknown;
    contexts?: Named<"context">[];
    clusters?: Named<"cluster">[];
    users?: Named<"user">[];
  } | null;
  const contexts = doc?.contexts ?? [];
  const current = doc?.["current-context"];
  const ctx = (contexts.find((c) => c.name === current) ?? (contexts.length === 1 ? contexts[0] : undefined))
    ?.context;
  if (!ctx) refuse("the kubeconfig has no current context");
  const cluster = doc?.clusters?.find((c) => c.name === ctx.cluster)?.cluster;
  const user = doc?.users?.find((u) => u.name === ctx.user)?.user;
  if (!cluster || typeof cluster.server !== "string") refuse("the kubeconfig has no current cluster");
  const token = user && typeof user.token === "string" && user.token !== "" ? user.token : null;
  return {
    server: cluster.server,
    tlsServerName: typeof cluster["tls-server-name"] === "string" ? cluster["tls-server-name"] : null,
    ca: pem(cluster["certificate-authority-data"]),
    cert: pem(user?.["client-certificate-data"]),
    key: pem(user?.["client-key-data"]),
    token,
  };
}
