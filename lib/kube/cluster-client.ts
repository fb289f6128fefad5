import "server-only";
import https from "node:https";
import tls from "node:tls";
import { KubeConfig } from "@kubernetes/client-node";
import { AppError } from "@/lib/errors";
import type { UrlPolicy } from "@/lib/net/url-policy";
import { checkUrl, pinnedLookup } from "@/lib/net/url-policy";
import { classifyHttpStatus, classifyNetworkError, type ReachError } from "./error-class";

// A long-lived, read-only HTTPS client for one cluster. client-node 1.x builds
// a new agent (and leaks its sockets) per API call, which does not survive
// polling thousands of clusters; so we take only the credentials from
// client-node's KubeConfig and keep ONE keep-alive agent per cluster.

export class ReachFailure extends Error {
  readonly reach: ReachError;
  constructor(reach: ReachError) {
    super(reach.message);
    this.name = "ReachFailure";
    this.reach = reach;
  }
}

export interface GetOptions {
  timeoutMs: number;
  /** responses larger than this are cut off and count as an error */
  maxBytes?: number;
}

export interface ClusterClient {
  readonly server: string;
  get<T>(path: string, opts: GetOptions): Promise<T>;
  /** live sockets, for soak tests */
  socketCount(): number;
  close(): void;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface ClusterClientOptions {
  /** keep the idle connection at least this long: longer than the poll interval, or every poll pays a handshake */
  idleTimeoutMs?: number;
}

export async function openClusterClient(
  kubeconfigYaml: string,
  policy: UrlPolicy,
  clientOpts: ClusterClientOptions = {},
): Promise<ClusterClient> {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml);
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new AppError("kubeconfig_rejected", "the kubeconfig has no current cluster");
  let addresses: string[];
  try {
    ({ addresses } = await checkUrl(cluster.server, policy, { field: "server" }));
  } catch (err) {
    if (err instanceof AppError) throw new ReachFailure({ errorClass: "policy", message: err.message });
    throw err;
  }
  const opts: https.RequestOptions = {};
  await kc.applyToHTTPSOptions(opts);
  (opts.agent as https.Agent | undefined)?.destroy();
  const pinned = pinnedLookup(addresses);
  // Parsing the CA, certificate and key is the most expensive part of a TLS
  // connect (profiled): do it once per cluster, not once per socket.
  const secureContext = tls.createSecureContext({ ca: opts.ca, cert: opts.cert, key: opts.key });
  const agent = new https.Agent({
    keepAlive: true,
    // One connection per cluster: a poll's few small requests queue on it, so
    // the socket is reused instead of a second one being opened and dropped.
    maxSockets: 1,
    maxFreeSockets: 1,
    timeout: clientOpts.idleTimeoutMs ?? 60_000,
    secureContext,
    servername: cluster.tlsServerName ?? undefined,
    lookup: pinned,
  });
  const base = cluster.server.replace(/\/$/, "");
  const headers = { ...(opts.headers as Record<string, string> | undefined), accept: "application/json" };

  return {
    server: cluster.server,
    get<T>(path: string, getOpts: GetOptions): Promise<T> {
      const url = new URL(base + path);
      const maxBytes = getOpts.maxBytes ?? DEFAULT_MAX_BYTES;
      return new Promise<T>((resolve, reject) => {
        const req = https.request(
          url,
          { method: "GET", agent, headers, servername: cluster.tlsServerName ?? undefined },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on("data", (chunk: Buffer) => {
              size += chunk.length;
              if (size > maxBytes)
                req.destroy(Object.assign(new Error("response too large"), { code: "OUTPOST_TOO_LARGE" }));
              else chunks.push(chunk);
            });
            res.on("end", () => {
              const status = res.statusCode ?? 0;
              if (status < 200 || status >= 300) return reject(new ReachFailure(classifyHttpStatus(status)));
              try {
                resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as T);
              } catch {
                reject(new ReachFailure({ errorClass: "http", message: `invalid JSON from ${path}` }));
              }
            });
            res.on("error", (err) => reject(new ReachFailure(classifyNetworkError(err))));
          },
        );
        // One deadline for connect + TLS + response; `timeout` alone only covers idle gaps.
        const timer = setTimeout(
          () => req.destroy(Object.assign(new Error("timeout"), { code: "OUTPOST_TIMEOUT" })),
          getOpts.timeoutMs,
        );
        req.on("close", () => clearTimeout(timer));
        req.on("error", (err) =>
          reject(err instanceof ReachFailure ? err : new ReachFailure(classifyNetworkError(err))),
        );
        req.end();
      });
    },
    socketCount() {
      const count = (m: NodeJS.ReadOnlyDict<unknown[]>) =>
        Object.values(m).reduce((n, l) => n + (l?.length ?? 0), 0);
      return count(agent.sockets) + count(agent.freeSockets);
    },
    close() {
      agent.destroy();
    },
  };
}
