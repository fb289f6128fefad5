import "server-only";
import https from "node:https";
import type { Socket } from "node:net";
import tls from "node:tls";
import { AppError } from "@/lib/errors";
import type { UrlPolicy } from "@/lib/net/url-policy";
import { checkUrl, pinnedLookup } from "@/lib/net/url-policy";
import { readCredentials } from "./credentials";
import { classifyHttpStatus, classifyNetworkError, type ReachError } from "./error-class";
import {
  type CertificateChange,
  type KnownCertificate,
  peerCertificateOf,
  type SessionPolicy,
  TlsSessionCache,
} from "./tls-session";

// A long-lived HTTPS client for one cluster: reads for the collector, writes for
// deploys, through the same agent and TLS context. client-node 1.x builds a new
// agent (and leaks its sockets) per API call, which does not survive polling
// thousands of clusters; so we read only the credentials from the stored
// (sanitized) kubeconfig (./credentials.ts) and keep ONE agent per cluster, with:
// - deadlines that fit slow links: connecting has its own deadline, and a
//   request's deadline starts when it is on the wire, not while it queues
//   behind the other requests of the same poll;
// - the served certificate checked on every connection, also when TLS resumes
//   a session (which re-presents no certificate), and sessions bounded in age
//   so a replaced certificate is seen within a known time (./tls-session.ts).

export class ReachFailure extends Error {
  readonly reach: ReachError;
  constructor(reach: ReachError) {
    super(reach.message);
    this.name = "ReachFailure";
    this.reach = reach;
  }
}

/** TCP connect + TLS handshake. */
export const CONNECT_TIMEOUT_MS = 10_000;

export interface GetOptions {
  /** from the moment the request is on the wire until the whole response has arrived */
  timeoutMs: number;
  /** responses larger than this are cut off and count as an error */
  maxBytes?: number;
  /** the request's time on the wire (ms), for latency per request */
  onTiming?: (ms: number) => void;
}

export interface RequestOptions {
  /** from the moment the request is on the wire until the whole response has arrived */
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
  /**
   * After a poll: closes connections nobody is using, keeping the TLS session for
   * a cheap reconnect; `keep` leaves them open (slow links, where a reconnect costs
   * seconds) unless the certificate is due a re-check.
   */
  releaseIdle(keep?: boolean): void;
  /** the certificate the server presented at the latest full handshake */
  serverCertificate(): KnownCertificate | null;
  /** a newly verified certificate different from the one before (renewed), once */
  takeCertificateChange(): CertificateChange | null;
  /** live sockets, for soak tests */
  socketCount(): number;
  /** TLS handshakes so far: full (certificate verified) and resumed */
  handshakes(): { full: number; resumed: number };
  close(): void;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

export interface ClusterClientOptions {
  /** keep an idle connection at most this long */
  idleTimeoutMs?: number;
  /** connections at most (requests beyond queue) */
  maxSockets?: number;
  connectTimeoutMs?: number;
  /** TLS session reuse and certificate re-check bounds */
  session?: Partial<SessionPolicy>;
  /** resume TLS sessions on new connections (default); off when connections are kept between polls */
  resumeSessions?: boolean;
  /** the certificate a previous client of this cluster saw, so a replacement is noticed across restarts */
  knownCertificate?: KnownCertificate | null;
  /** sent as User-Agent (the collector names its instance, so a cluster's logs say who polled it) */
  userAgent?: string;
  now?: () => number;
}

/**
 * A copy that owns its characters. Strings cut from the kubeconfig text are
 * slices that keep the whole document alive; 10,000 clients would hold 10,000
 * kubeconfigs (with their keys) in memory for a server URL and a token each.
 */
function own(s: string): string {
  return Buffer.from(s, "utf8").toString("utf8");
}

/** Verification failures that mean "not signed by the CA we trust" (not expiry, not a name mismatch). */
const UNTRUSTED_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
]);

function isUntrustedCode(code: string | undefined): boolean {
  return code !== undefined && UNTRUSTED_CODES.has(code);
}

/** Connection state the agent tracks per socket: when TLS was up, so request deadlines start there. */
const secureSince = new WeakMap<Socket, number>();

interface AgentState {
  sessions: TlsSessionCache;
  connectTimeoutMs: number;
  handshakes: { full: number; resumed: number };
  /** store sessions to resume; off when connections are kept (a kept one needs none) */
  isResuming: boolean;
}

/**
 * One per cluster (declared once: a class per client would cost every client its
 * own constructor and prototype). Replaces https.Agent's own session cache
 * (maxCachedSessions: 0) with one that knows the certificate behind each session
 * and when to stop resuming, and gives connecting its own deadline.
 */
class ClusterAgent extends https.Agent {
  constructor(
    private readonly state: AgentState,
    options: https.AgentOptions,
  ) {
    super(options);
  }

  override createConnection(options: tls.ConnectionOptions): Socket {
    const { sessions, connectTimeoutMs, handshakes } = this.state;
    const session = this.state.isResuming ? sessions.sessionToResume() : undefined;
    const socket = tls.connect(session ? { ...options, session } : options);
    const deadline = setTimeout(
      () =>
        socket.destroy(
          Object.assign(new Error("connect timeout"), {
            code: "OUTPOST_CONNECT_TIMEOUT",
            timeoutMs: connectTimeoutMs,
          }),
        ),
      connectTimeoutMs,
    );
    socket.once("secureConnect", () => {
      clearTimeout(deadline);
      const isResumed = socket.isSessionReused();
      if (isResumed) handshakes.resumed++;
      else handshakes.full++;
      const problem = sessions.accept(isResumed, isResumed ? null : peerCertificateOf(socket));
      if (problem) {
        socket.destroy(problem);
        return;
      }
      secureSince.set(socket, performance.now());
    });
    socket.once("close", () => clearTimeout(deadline));
    if (this.state.isResuming) socket.on("session", (s: Buffer) => sessions.store(s));
    return socket;
  }
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

interface SendOptions
  extends Pick<RequestOptions, "timeoutMs" | "maxBytes" | "body" | "contentType" | "accept"> {
  onTiming?: (ms: number) => void;
  /** also one deadline over everything (queue, connect, response): a caller's whole-request budget */
  totalTimeoutMs?: number;
}

interface RawResponse {
  status: number;
  text: string;
  headers: import("node:http").IncomingHttpHeaders;
}

export async function openClusterClient(
  kubeconfigYaml: string,
  policy: UrlPolicy,
  clientOpts: ClusterClientOptions = {},
): Promise<ClusterClient> {
  const cluster = readCredentials(kubeconfigYaml);
  let addresses: string[];
  try {
    ({ addresses } = await checkUrl(cluster.server, policy, { field: "server" }));
  } catch (err) {
    if (err instanceof AppError) throw new ReachFailure({ errorClass: "policy", message: err.message });
    throw err;
  }
  const now = clientOpts.now ?? Date.now;
  const connectTimeoutMs = clientOpts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  const sessions = new TlsSessionCache(clientOpts.session, now, clientOpts.knownCertificate ?? null);
  // Parsing the CA, certificate and key is the most expensive part of a TLS
  // connect (profiled): do it once per cluster, not once per socket.
  const secureContext = tls.createSecureContext({
    ...(cluster.ca ? { ca: cluster.ca } : {}),
    ...(cluster.cert && cluster.key ? { cert: cluster.cert, key: cluster.key } : {}),
  });
  const servername = cluster.tlsServerName ? own(cluster.tlsServerName) : undefined;
  const handshakes = { full: 0, resumed: 0 };

  const agent = new ClusterAgent(
    { sessions, connectTimeoutMs, handshakes, isResuming: clientOpts.resumeSessions ?? true },
    {
      keepAlive: true,
      // The caller decides how many requests go out at once (the poll's gate): one
      // on a healthy link, so a poll's few small requests reuse one connection;
      // a few side by side on a slow one.
      maxSockets: clientOpts.maxSockets ?? 3,
      maxFreeSockets: clientOpts.maxSockets ?? 3,
      maxCachedSessions: 0,
      timeout: clientOpts.idleTimeoutMs ?? 60_000,
      secureContext,
      servername,
      lookup: pinnedLookup(addresses),
    },
  );
  /** A TLS failure after a certificate was trusted before means the certificate changed under us. */
  const explain = (err: unknown): ReachError => {
    const reach = classifyNetworkError(err);
    const known = sessions.certificate();
    if (reach.errorClass === "tls" && known) {
      sessions.forget();
      if (isUntrustedCode((err as { code?: string }).code))
        return {
          errorClass: "tls",
          message: `the server's TLS certificate was replaced by one the kubeconfig's CA does not trust (the trusted one was valid until ${known.notAfter.slice(0, 10)})`,
        };
    }
    return reach;
  };
  // Requests not yet answered, so close() can end them: an agent left with queued
  // requests opens new connections for them even after it was destroyed.
  const open = new Set<import("node:http").ClientRequest>();
  let isClosed = false;
  const server = own(cluster.server);
  const base = server.replace(/\/$/, "");
  const headers: Record<string, string> = { accept: "application/json" };
  if (clientOpts.userAgent) headers["user-agent"] = own(clientOpts.userAgent);
  if (cluster.token) headers.authorization = `Bearer ${own(cluster.token)}`;

  /**
   * One request on the cluster's agent: the connect deadline is the agent's, the
   * response deadline starts once the request is on the wire; a size cap.
   */
  const send = (path: string, method: string, sendOpts: SendOptions): Promise<RawResponse> => {
    if (isClosed)
      return Promise.reject(new ReachFailure({ errorClass: "unknown", message: "client closed" }));
    // A kept-alive connection never shows its certificate again: the one it showed expires here.
    if (sessions.isVerifiedCertExpired()) {
      for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
      return Promise.reject(
        new ReachFailure({ errorClass: "tls", message: "the server's TLS certificate has expired" }),
      );
    }
    const url = new URL(base + path);
    const maxBytes = sendOpts.maxBytes ?? DEFAULT_MAX_BYTES;
    const payload =
      sendOpts.body === undefined
        ? undefined
        : Buffer.from(typeof sendOpts.body === "string" ? sendOpts.body : JSON.stringify(sendOpts.body));
    const requestHeaders: Record<string, string | number> =
      payload || sendOpts.accept
        ? {
            ...headers,
            ...(sendOpts.accept ? { accept: sendOpts.accept } : {}),
            ...(payload
              ? {
                  "content-type": sendOpts.contentType ?? "application/json",
                  "content-length": payload.length,
                }
              : {}),
          }
        : headers;
    return new Promise<RawResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let sentAt = 0;
      const req = https.request(url, { method, agent, headers: requestHeaders, servername }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes)
            req.destroy(Object.assign(new Error("response too large"), { code: "OUTPOST_TOO_LARGE" }));
          else chunks.push(chunk);
        });
        res.on("end", () => {
          clearTimeout(timer);
          sendOpts.onTiming?.(performance.now() - sentAt);
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString("utf8"),
            headers: res.headers,
          });
        });
        res.on("error", (err) => reject(new ReachFailure(classifyNetworkError(err))));
      });
      // The response deadline starts once the request can actually go out: on a
      // connected socket, not while it waits for the connection or a turn on it.
      const arm = () => {
        sentAt = performance.now();
        timer = setTimeout(
          () =>
            req.destroy(
              Object.assign(new Error("response timeout"), {
                code: "OUTPOST_RESPONSE_TIMEOUT",
                path: url.pathname,
                timeoutMs: sendOpts.timeoutMs,
              }),
            ),
          sendOpts.timeoutMs,
        );
      };
      req.on("socket", (socket: Socket) => {
        if (secureSince.has(socket)) arm();
        else socket.once("secureConnect", () => (secureSince.has(socket) ? arm() : undefined));
      });
      const total =
        sendOpts.totalTimeoutMs === undefined
          ? undefined
          : setTimeout(
              () => req.destroy(Object.assign(new Error("timeout"), { code: "OUTPOST_TIMEOUT" })),
              sendOpts.totalTimeoutMs,
            );
      open.add(req);
      req.on("close", () => {
        clearTimeout(timer);
        clearTimeout(total);
        open.delete(req);
      });
      req.on("error", (err) => reject(err instanceof ReachFailure ? err : new ReachFailure(explain(err))));
      req.end(payload);
    });
  };

  return {
    server,
    async get<T>(path: string, getOpts: GetOptions): Promise<T> {
      const res = await send(path, "GET", getOpts);
      if (res.status < 200 || res.status >= 300) throw new ReachFailure(classifyHttpStatus(res.status));
      try {
        return JSON.parse(res.text) as T;
      } catch {
        throw new ReachFailure({ errorClass: "http", message: `invalid JSON from ${path}` });
      }
    },
    async request<T>(method: string, path: string, opts: RequestOptions): Promise<ClusterResponse<T>> {
      // A write's caller budgets the whole request (connect included), as a connection test does.
      const res = await send(withQuery(path, opts.query), method, {
        ...opts,
        totalTimeoutMs: opts.timeoutMs,
      });
      let body: T | undefined;
      try {
        body = res.text ? (JSON.parse(res.text) as T) : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body, headers: res.headers };
    },
    releaseIdle(keep = false) {
      if (keep && !sessions.isDueFullHandshake()) return;
      for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
    },
    serverCertificate: () => sessions.certificate(),
    handshakes: () => ({ ...handshakes }),
    takeCertificateChange: () => sessions.takeChange(),
    socketCount() {
      const count = (m: NodeJS.ReadOnlyDict<unknown[]>) =>
        Object.values(m).reduce((n, l) => n + (l?.length ?? 0), 0);
      return count(agent.sockets) + count(agent.freeSockets);
    },
    close() {
      isClosed = true;
      for (const req of open)
        req.destroy(Object.assign(new Error("client closed"), { code: "ECONNABORTED" }));
      open.clear();
      agent.destroy();
    },
  };
}
