import "server-only";
import https from "node:https";
import tls from "node:tls";
import { KubeConfig } from "@kubernetes/client-node";
import { AppError } from "@/lib/errors";
import type { UrlPolicy } from "@/lib/net/url-policy";
import { checkUrl, pinnedLookup } from "@/lib/net/url-policy";
import { classifyHttpStatus, classifyNetworkError, type ReachError } from "./error-class";

// A long-lived HTTPS client for one cluster: reads for the collector, writes for
// deploys, through the same agent. client-node 1.x builds a new agent (and leaks
// its sockets) per API call, which does not survive polling thousands of
// clusters; so we take only the credentials from client-node's KubeConfig and
// keep ONE keep-alive agent per cluster.

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

export interface RequestOptions {
  timeoutMs: number;
  /** a string is sent as is; anything else as JSON */
  body?: unknown;
  /** default application/json when there is a body */
  contentType?: string;
  /** appended to the path; arrays repeat the parameter */
  query?: Record<string, string | string[] | undefined>;
  accept?: string;
  maxBytes?: number;
}

/** Any HTTP answer: writes need the status and the Kubernetes Status body, not only success. */
export interface ClusterResponse<T = unknown> {
  status: number;
  /** parsed JSON, or undefined when the body was empty or not JSON */
  body: T | undefined;
  headers: import("node:http").IncomingHttpHeaders;
}

export interface ClusterClient {
  readonly server: string;
  get<T>(path: string, opts: GetOptions): Promise<T>;
  /**
   * Any method through the same agent and TLS context. Resolves with whatever the API server
   * answered; rejects with ReachFailure only when no answer came (refused, timeout, TLS, reset).
   */
  request<T = unknown>(method: string, path: string, opts: RequestOptions): Promise<ClusterResponse<T>>;
  /** live sockets, for soak tests */
  socketCount(): number;
  close(): void;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface ClusterClientOptions {
  /** keep the idle connection at least this long: longer than the poll interval, or every poll pays a handshake */
  idleTimeoutMs?: number;
}

function withQuery(path: string, query: RequestOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
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

  /** One request on the cluster's agent: one deadline for connect + TLS + response, a size cap. */
  const send = (
    path: string,
    method: string,
    sendOpts: Pick<RequestOptions, "timeoutMs" | "maxBytes" | "body" | "contentType" | "accept">,
  ): Promise<{ status: number; text: string; headers: import("node:http").IncomingHttpHeaders }> => {
    const url = new URL(base + path);
    const maxBytes = sendOpts.maxBytes ?? DEFAULT_MAX_BYTES;
    const payload =
      sendOpts.body === undefined
        ? undefined
        : Buffer.from(typeof sendOpts.body === "string" ? sendOpts.body : JSON.stringify(sendOpts.body));
    const requestHeaders: Record<string, string | number> = {
      ...headers,
      ...(sendOpts.accept ? { accept: sendOpts.accept } : {}),
      ...(payload
        ? { "content-type": sendOpts.contentType ?? "application/json", "content-length": payload.length }
        : {}),
    };
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        { method, agent, headers: requestHeaders, servername: cluster.tlsServerName ?? undefined },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBytes)
              req.destroy(Object.assign(new Error("response too large"), { code: "OUTPOST_TOO_LARGE" }));
            else chunks.push(chunk);
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString("utf8"),
              headers: res.headers,
            }),
          );
          res.on("error", (err) => reject(new ReachFailure(classifyNetworkError(err))));
        },
      );
      // One deadline for connect + TLS + response; `timeout` alone only covers idle gaps.
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error("timeout"), { code: "OUTPOST_TIMEOUT" })),
        sendOpts.timeoutMs,
      );
      req.on("close", () => clearTimeout(timer));
      req.on("error", (err) =>
        reject(err instanceof ReachFailure ? err : new ReachFailure(classifyNetworkError(err))),
      );
      req.end(payload);
    });
  };

  return {
    server: cluster.server,
    async get<T>(path: string, getOpts: GetOptions): Promise<T> {
      const res = await send(path, "GET", { timeoutMs: getOpts.timeoutMs, maxBytes: getOpts.maxBytes });
      if (res.status < 200 || res.status >= 300) throw new ReachFailure(classifyHttpStatus(res.status));
      try {
        return JSON.parse(res.text) as T;
      } catch {
        throw new ReachFailure({ errorClass: "http", message: `invalid JSON from ${path}` });
      }
    },
    async request<T>(method: string, path: string, opts: RequestOptions): Promise<ClusterResponse<T>> {
      const res = await send(withQuery(path, opts.query), method, opts);
      let body: T | undefined;
      try {
        body = res.text ? (JSON.parse(res.text) as T) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body, headers: res.headers };
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
