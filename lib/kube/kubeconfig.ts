import "server-only";
import { X509Certificate } from "node:crypto";
import { isPair, isScalar, parseDocument, stringify, visit } from "yaml";
import { z } from "zod";
import { AppError, type FieldIssue } from "@/lib/errors";

// Kubeconfigs come from users, and @kubernetes/client-node would execute
// `exec`/`auth-provider` commands and read any file path they name. So we keep
// an allowlist: only inline data and bearer tokens survive, everything else is
// refused with the field name and the reason. The sanitized document (one
// context, one cluster, one user) is what gets encrypted and stored.

// Sets and a Map, not object literals: a key like "__proto__" or "constructor" must
// not find something on Object.prototype and pass as allowed.
const CLUSTER_KEYS: ReadonlySet<string> = new Set([
  "server",
  "certificate-authority-data",
  "tls-server-name",
  "disable-compression",
  "extensions",
]);
const USER_KEYS: ReadonlySet<string> = new Set([
  "client-certificate-data",
  "client-key-data",
  "token",
  "extensions",
]);

/** A kubeconfig lists a few contexts; thousands would only make every message and list unusable. */
export const MAX_KUBECONFIG_ENTRIES = 500;

const REFUSED_REASONS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    exec: "runs a command on the Outpost server",
    "auth-provider": "runs a plugin on the Outpost server",
    "certificate-authority": "reads a file on the Outpost server; paste certificate-authority-data instead",
    "client-certificate": "reads a file on the Outpost server; paste client-certificate-data instead",
    "client-key": "reads a file on the Outpost server; paste client-key-data instead",
    tokenFile: "reads a file on the Outpost server; paste the token instead",
    "token-file": "reads a file on the Outpost server; paste the token instead",
    "proxy-url": "would route cluster traffic through another host",
    "insecure-skip-tls-verify": "turns off certificate checks; provide certificate-authority-data",
    username: "basic auth is not supported by k3s; use a client certificate or a token",
    password: "basic auth is not supported by k3s; use a client certificate or a token",
    as: "impersonation is not allowed in stored kubeconfigs",
    "as-uid": "impersonation is not allowed in stored kubeconfigs",
    "as-groups": "impersonation is not allowed in stored kubeconfigs",
    "as-user-extra": "impersonation is not allowed in stored kubeconfigs",
  }),
);

const entryName = z.string().min(1, "name is required");
const section = z.record(z.string(), z.unknown());

const most = `at most ${MAX_KUBECONFIG_ENTRIES} entries`;
const shape = z.object({
  clusters: z
    .array(z.object({ name: entryName, cluster: section }))
    .min(1, "at least one cluster is required")
    .max(MAX_KUBECONFIG_ENTRIES, most),
  users: z
    .array(z.object({ name: entryName, user: section }))
    .min(1, "at least one user is required")
    .max(MAX_KUBECONFIG_ENTRIES, most),
  contexts: z
    .array(
      z.object({
        name: entryName,
        context: z.object({
          cluster: z.string().min(1),
          user: z.string().min(1),
          namespace: z.string().optional(),
        }),
      }),
    )
    .min(1, "at least one context is required")
    .max(MAX_KUBECONFIG_ENTRIES, most),
  "current-context": z.string().optional(),
});

export type AuthKind = "client-cert" | "token";

export interface KubeconfigFacts {
  contexts: string[];
  contextName: string;
  server: string;
  authKind: AuthKind;
  tlsServerName: string | null;
  clientCertNotAfter: Date | null;
  clientCertSubject: string | null;
  /** loopback :6443 is what k3s writes into k3s.yaml; nobody else can reach it */
  isCopiedK3sAddress: boolean;
}

export interface SanitizedKubeconfig {
  yaml: string;
  facts: KubeconfigFacts;
}

export interface SanitizeOptions {
  /** which context to use when the file has several */
  context?: string;
  /** replaces the server address (e.g. a copied k3s.yaml pointing at 127.0.0.1) */
  serverOverride?: string;
}

function reject(message: string, issues: FieldIssue[]): never {
  throw new AppError("kubeconfig_rejected", message, { issues });
}

/** A document that is not a well-formed kubeconfig at all (400), as opposed to one we refuse (422). */
function malformed(message: string, issues: FieldIssue[]): never {
  throw new AppError("kubeconfig_malformed", message, { issues });
}

function decodeBase64Pem(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "")
    reject(`${field} is empty`, [{ path: field, message: "must be base64 data" }]);
  const text = Buffer.from(value, "base64").toString("utf8");
  if (!text.includes("-----BEGIN")) {
    reject(`${field} is not base64-encoded PEM`, [
      { path: field, message: "must be base64-encoded PEM data" },
    ]);
  }
  return text;
}

function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\./.test(h);
}

export function parseServerUrl(raw: unknown, field = "server"): URL {
  if (typeof raw !== "string" || raw.trim() === "")
    reject("the cluster has no server address", [{ path: field, message: "is required" }]);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    reject(`server address "${raw}" is not a URL`, [
      { path: field, message: "must be a URL like https://10.0.0.5:6443" },
    ]);
  }
  if (url.protocol !== "https:") {
    reject("the server must use https", [
      { path: field, message: `uses ${url.protocol.replace(":", "")}; Kubernetes API servers are https` },
    ]);
  }
  if (url.username || url.password)
    reject("the server URL must not contain credentials", [
      { path: field, message: "remove user:password@" },
    ]);
  return url;
}

/**
 * YAML aliases (`*name`) and merge keys (`<<`) have no place in a kubeconfig: kubectl
 * writes neither, an alias bomb expands exponentially, and a merge key can carry a
 * refused field (exec) in from an anchor elsewhere in the file. Refused by name, as is
 * a `__proto__` key, which would become a prototype rather than a field.
 */
function refuseHostileYaml(doc: ReturnType<typeof parseDocument>): void {
  const found: FieldIssue[] = [];
  visit(doc, {
    Alias(_key, node, path) {
      if (found.length < 5)
        found.push({
          path: "kubeconfig",
          message: `YAML alias *${node.source} ${where(path)}is not allowed`,
        });
    },
    Pair(_key, pair, path) {
      if (!isScalar(pair.key) || found.length >= 5) return;
      if (pair.key.value === "<<")
        found.push({ path: "kubeconfig", message: `YAML merge key << ${where(path)}is not allowed` });
      // Parsers and validators turn this key into an object's prototype instead of a field.
      if (pair.key.value === "__proto__")
        found.push({ path: "kubeconfig", message: `the key __proto__ ${where(path)}is not allowed` });
    },
  });
  if (found.length > 0) {
    malformed(
      "the kubeconfig uses YAML aliases or merge keys, which Outpost refuses; write each entry out",
      found,
    );
  }
}

function where(path: readonly unknown[]): string {
  const keys = path.flatMap((p) => (isPair(p) && isScalar(p.key) ? [String(p.key.value)] : []));
  return keys.length > 0 ? `(under ${keys.join(".")}) ` : "";
}

export function sanitizeKubeconfig(text: string, opts: SanitizeOptions = {}): SanitizedKubeconfig {
  if (text.trim() === "")
    reject("the kubeconfig is empty", [{ path: "kubeconfig", message: "paste or upload a kubeconfig" }]);
  if (text.length > 256 * 1024)
    reject("the kubeconfig is larger than 256 KiB", [{ path: "kubeconfig", message: "too large" }]);
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const where = first?.linePos?.[0]
      ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})`
      : "";
    malformed(`the kubeconfig is not valid YAML${where}`, [
      { path: "kubeconfig", message: `${first?.message.split("\n")[0] ?? "syntax error"}${where}` },
    ]);
  }
  refuseHostileYaml(doc);
  const parsed = shape.safeParse(doc.toJS({ maxAliasCount: 0 }));
  if (!parsed.success) {
    reject(
      "the kubeconfig is missing required parts",
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  const cfg = parsed.data;
  const contexts = cfg.contexts.map((c) => c.name);
  const contextName =
    opts.context ?? cfg["current-context"] ?? (contexts.length === 1 ? contexts[0] : undefined);
  if (!contextName) {
    reject("the kubeconfig has several contexts and none is current: choose one", [
      { path: "context", message: `choose one of: ${contexts.join(", ")}` },
    ]);
  }
  const ctx = cfg.contexts.find((c) => c.name === contextName);
  if (!ctx)
    reject(`context "${contextName}" does not exist`, [
      { path: "context", message: `choose one of: ${contexts.join(", ")}` },
    ]);
  const clusterEntry = cfg.clusters.find((c) => c.name === ctx.context.cluster);
  const userEntry = cfg.users.find((u) => u.name === ctx.context.user);
  if (!clusterEntry)
    reject(`context "${contextName}" names cluster "${ctx.context.cluster}", which is not defined`, [
      { path: "clusters", message: "missing cluster" },
    ]);
  if (!userEntry)
    reject(`context "${contextName}" names user "${ctx.context.user}", which is not defined`, [
      { path: "users", message: "missing user" },
    ]);
  const cluster = (clusterEntry as { cluster: Record<string, unknown> }).cluster;
  const user = (userEntry as { user: Record<string, unknown> }).user;

  const issues: FieldIssue[] = [];
  for (const [section, obj, allowed] of [
    ["cluster", cluster, CLUSTER_KEYS],
    ["user", user, USER_KEYS],
  ] as const) {
    for (const key of Object.keys(obj)) {
      if (allowed.has(key)) continue;
      // insecure-skip-tls-verify: false is harmless and common.
      if (key === "insecure-skip-tls-verify" && obj[key] === false) continue;
      const reason =
        REFUSED_REASONS.get(key) ??
        (/(file|path)$/i.test(key) ? "reads a file on the Outpost server" : "is not supported");
      issues.push({ path: `${section}.${key}`, message: `${key} refused: ${reason}` });
    }
  }
  if (issues.length > 0) {
    reject(
      `the kubeconfig uses ${issues.map((i) => i.path.split(".")[1]).join(", ")}, which Outpost refuses`,
      issues,
    );
  }

  const original = parseServerUrl(cluster.server, "cluster.server");
  const url = opts.serverOverride ? parseServerUrl(opts.serverOverride, "serverOverride") : original;
  const isCopiedK3sAddress = isLoopbackHost(url.hostname) && (url.port === "6443" || url.port === "");

  const hasCertData =
    Object.hasOwn(user, "client-certificate-data") || Object.hasOwn(user, "client-key-data");
  const hasToken = typeof user.token === "string" && user.token.length > 0;
  if (hasCertData && hasToken)
    reject("use either a client certificate or a token, not both", [{ path: "user", message: "both set" }]);
  if (!hasCertData && !hasToken) {
    reject("the user has no credentials", [
      { path: "user", message: "needs client-certificate-data + client-key-data, or token" },
    ]);
  }
  let clientCertNotAfter: Date | null = null;
  let clientCertSubject: string | null = null;
  if (hasCertData) {
    const certPem = decodeBase64Pem(user["client-certificate-data"], "user.client-certificate-data");
    decodeBase64Pem(user["client-key-data"], "user.client-key-data");
    try {
      const cert = new X509Certificate(certPem);
      clientCertNotAfter = new Date(cert.validTo);
      clientCertSubject = cert.subject.replace(/\n/g, ", ");
    } catch {
      reject("client-certificate-data is not a valid X.509 certificate", [
        { path: "user.client-certificate-data", message: "not a certificate" },
      ]);
    }
  }
  if (cluster["certificate-authority-data"] !== undefined) {
    const caPem = decodeBase64Pem(
      cluster["certificate-authority-data"],
      "cluster.certificate-authority-data",
    );
    try {
      new X509Certificate(caPem);
    } catch {
      reject("certificate-authority-data is not a valid X.509 certificate", [
        { path: "cluster.certificate-authority-data", message: "not a certificate" },
      ]);
    }
  }
  const tlsServerName = typeof cluster["tls-server-name"] === "string" ? cluster["tls-server-name"] : null;

  const server = url.toString().replace(/\/$/, "");
  const clean = {
    apiVersion: "v1",
    kind: "Config",
    "current-context": contextName,
    clusters: [{ name: "outpost", cluster: { ...cluster, server } }],
    users: [{ name: "outpost", user }],
    contexts: [
      {
        name: contextName,
        context: {
          cluster: "outpost",
          user: "outpost",
          ...(ctx.context.namespace ? { namespace: ctx.context.namespace } : {}),
        },
      },
    ],
  };
  return {
    yaml: stringify(clean),
    facts: {
      contexts,
      contextName,
      server,
      authKind: hasCertData ? "client-cert" : "token",
      tlsServerName,
      clientCertNotAfter,
      clientCertSubject,
      isCopiedK3sAddress,
    },
  };
}
