import "server-only";
import http from "node:http";
import https from "node:https";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { dataSourceUrlPolicy } from "@/lib/net/policy";
import { checkUrl, pinnedLookup } from "@/lib/net/url-policy";
import { REASON_TEXT, type UnavailableReason } from "./reasons";

// InfluxQL over the v1 HTTP API (`/query`, `/ping`), which InfluxDB 1.x, 2.x
// (v1 compatibility with a DBRP mapping) and 3.x all answer. The official
// client has no InfluxQL query API, so this is plain node:http with one
// keep-alive agent per data source. Nothing here throws for a broken or slow
// InfluxDB: every call resolves to a result or to an "unavailable (reason)".

export type InfluxAuth =
  | { kind: "none" }
  | { kind: "basic"; username: string; password: string }
  | { kind: "token"; token: string };

export interface InfluxTarget {
  /** pools sockets and caches answers; must change whenever the configuration does */
  key: string;
  url: string;
  database: string;
  retentionPolicy: string | null;
  auth: InfluxAuth;
  timeoutMs: number;
}

export { REASON_TEXT, UNAVAILABLE_REASONS, type UnavailableReason } from "./reasons";

export interface Unavailable {
  ok: false;
  reason: UnavailableReason;
  message: string;
}

export interface InfluxSeries {
  name: string;
  tags: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

export interface QueryResult {
  ok: true;
  /** one entry per statement, in order */
  statements: InfluxSeries[][];
  elapsedMs: number;
}

export type QueryOutcome = QueryResult | Unavailable;

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Identical queries within this window share one answer (every open screen polls the same views). */
export const QUERY_CACHE_MS = 5_000;
const MAX_CACHE_ENTRIES = 500;
/** A chart of 1,000 points × a few hundred series stays well below this. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
/** InfluxDB 1.x on 2–4 cores handles < 5 moderate queries/s: a few sockets per source is plenty. */
const MAX_SOCKETS_PER_SOURCE = 4;
/** Longer queries go in a POST body rather than the URL. */
const MAX_GET_QUERY_CHARS = 4_000;

export function unavailable(reason: UnavailableReason, message?: string): Unavailable {
  return { ok: false, reason, message: message ?? REASON_TEXT[reason] };
}

// ---------------------------------------------------------------------------
// Agents

interface PooledAgent {
  key: string;
  agent: http.Agent;
}

const globalPool = globalThis as unknown as { outpostInfluxAgents?: Map<string, PooledAgent> };
if (!globalPool.outpostInfluxAgents) globalPool.outpostInfluxAgents = new Map();
const agents: Map<string, PooledAgent> = globalPool.outpostInfluxAgents;

/** Pool identity: the part of the key before the first "@" (the data source id). */
function poolId(key: string): string {
  const at = key.indexOf("@");
  return at < 0 ? key : key.slice(0, at);
}

function agentFor(target: InfluxTarget, isHttps: boolean): http.Agent {
  const id = poolId(target.key);
  const pooled = agents.get(id);
  if (pooled?.key === target.key) return pooled.agent;
  // The configuration changed (or first use): old sockets may point at the old address.
  pooled?.agent.destroy();
  const options: http.AgentOptions = {
    keepAlive: true,
    maxSockets: MAX_SOCKETS_PER_SOURCE,
    maxFreeSockets: 2,
  };
  const agent = isHttps ? new https.Agent(options) : new http.Agent(options);
  agents.set(id, { key: target.key, agent });
  return agent;
}

/** Drops the sockets of a data source (deleted or reconfigured). */
export function closeAgents(id?: string): void {
  for (const [key, pooled] of agents) {
    if (id === undefined || key === id) {
      pooled.agent.destroy();
      agents.delete(key);
    }
  }
}

// ---------------------------------------------------------------------------
// Transport

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function authHeader(auth: InfluxAuth): string | null {
  if (auth.kind === "basic") {
    return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  }
  if (auth.kind === "token") return `Token ${auth.token}`;
  return null;
}

function endpoint(base: string, path: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}${path}`;
  url.search = "";
  url.hash = "";
  return url;
}

function classifyNetwork(err: unknown): Unavailable {
  const code = (err as { code?: string })?.code ?? "";
  if (code === "OUTPOST_TIMEOUT" || code === "ETIMEDOUT") return unavailable("timeout");
  if (code === "ENOTFOUND" || code === "EAI_AGAIN")
    return unavailable("unreachable", "host name does not resolve");
  if (code === "ECONNREFUSED") return unavailable("unreachable", "connection refused");
  if (code === "ECONNRESET" || code === "EPIPE") return unavailable("unreachable", "connection reset");
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    return unavailable("unreachable", "no route to host");
  if (/CERT|TLS|SSL/i.test(code) || /certificate|ssl|tls/i.test((err as Error)?.message ?? "")) {
    return unavailable("unreachable", "TLS handshake failed");
  }
  return unavailable("unreachable", code ? `network error (${code})` : "network error");
}

/**
 * One HTTP exchange against only the addresses the URL policy accepted, with a
 * deadline over the whole exchange (a server that accepts and never answers, or
 * answers byte by byte, is cut off just the same).
 */
async function send(
  target: InfluxTarget,
  method: "GET" | "POST",
  url: URL,
  body: string | null,
): Promise<RawResponse | Unavailable> {
  let addresses: string[];
  try {
    ({ addresses } = await checkUrl(target.url, dataSourceUrlPolicy(), { field: "url" }));
  } catch (err) {
    if (isAppError(err)) {
      return /cannot resolve/.test(err.message)
        ? unavailable("unreachable", err.message)
        : unavailable("policy", err.message);
    }
    return unavailable("unreachable", "URL check failed");
  }
  const pinned = pinnedLookup(addresses);
  const isHttps = url.protocol === "https:";
  const headers: http.OutgoingHttpHeaders = { accept: "application/json" };
  const auth = authHeader(target.auth);
  if (auth) headers.authorization = auth;
  if (body !== null) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers["content-length"] = Buffer.byteLength(body);
  }
  const timeoutMs = target.timeoutMs > 0 ? target.timeoutMs : DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    let isDone = false;
    const finish = (value: RawResponse | Unavailable) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(deadline);
      resolve(value);
    };
    const request = (isHttps ? https : http).request(
      url,
      { method, headers, agent: agentFor(target, isHttps), lookup: pinned },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            request.destroy();
            finish(unavailable("bad-response", "answer larger than 64 MB; narrow the range"));
          } else chunks.push(chunk);
        });
        res.on("end", () =>
          finish({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", (err) => finish(classifyNetwork(err)));
      },
    );
    const deadline = setTimeout(() => {
      request.destroy(Object.assign(new Error("timeout"), { code: "OUTPOST_TIMEOUT" }));
      finish(unavailable("timeout", `InfluxDB did not answer within ${formatSeconds(timeoutMs)}`));
    }, timeoutMs);
    request.on("error", (err) => finish(classifyNetwork(err)));
    request.end(body ?? undefined);
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------
// Queries

interface RawBody {
  error?: string;
  message?: string;
  results?: { statement_id?: number; error?: string; series?: Partial<InfluxSeries>[] }[];
}

// What InfluxDB says in an error body is for the server log, never for the page: it can
// name databases, users, paths or internal hosts to any viewer. Pages get the class and
// a sentence of ours; the body is logged once with the source it came from.

function classifyMessage(target: InfluxTarget, message: string): Unavailable | null {
  if (/database not found|bucket .*not found|no dbrp mapping|dbrp.*not found/i.test(message)) {
    return unavailable("database-missing", `database "${target.database}" not found`);
  }
  if (/retention policy not found/i.test(message))
    return unavailable(
      "database-missing",
      `retention policy "${target.retentionPolicy ?? "default"}" not found`,
    );
  if (/authorization|authenticat|unauthorized|forbidden/i.test(message))
    return unavailable("auth", "credentials rejected");
  return null;
}

function logged(target: InfluxTarget, status: number, body: string, outcome: Unavailable): Unavailable {
  if (body)
    log.warn("influxdb answered with an error", {
      source: target.key,
      status,
      reason: outcome.reason,
      body: body.slice(0, 500),
    });
  return outcome;
}

function classifyHttp(target: InfluxTarget, status: number, message: string): Unavailable {
  const known = classifyMessage(target, message);
  if (known) return logged(target, status, message, known);
  let outcome: Unavailable;
  if (status === 401 || status === 403)
    outcome = unavailable("auth", `credentials rejected (HTTP ${status})`);
  else if (status === 400) outcome = unavailable("bad-query", "InfluxDB rejected the query (HTTP 400)");
  else if (status === 404)
    outcome = unavailable("server-error", "no InfluxDB /query endpoint at this URL (HTTP 404)");
  else if (status === 413 || status === 414)
    outcome = unavailable("bad-query", `query too large (HTTP ${status})`);
  else outcome = unavailable("server-error", `InfluxDB answered HTTP ${status}`);
  return logged(target, status, message, outcome);
}

function parseBody(text: string): RawBody | null {
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === "object" ? (parsed as RawBody) : null;
  } catch {
    return null;
  }
}

function toSeries(raw: Partial<InfluxSeries>): InfluxSeries {
  return {
    name: typeof raw.name === "string" ? raw.name : "",
    tags: raw.tags && typeof raw.tags === "object" ? raw.tags : {},
    columns: Array.isArray(raw.columns) ? raw.columns : [],
    values: Array.isArray(raw.values) ? raw.values : [],
  };
}

async function execute(target: InfluxTarget, statements: readonly string[]): Promise<QueryOutcome> {
  const started = performance.now();
  const params = new URLSearchParams({ db: target.database, q: statements.join(";\n"), epoch: "ms" });
  if (target.retentionPolicy) params.set("rp", target.retentionPolicy);
  const url = endpoint(target.url, "/query");
  const isLong = params.toString().length > MAX_GET_QUERY_CHARS;
  if (!isLong) url.search = params.toString();
  const res = await send(target, isLong ? "POST" : "GET", url, isLong ? params.toString() : null);
  if ("ok" in res) return res;
  const body = parseBody(res.body);
  const topError = body?.error ?? body?.message ?? "";
  if (res.status < 200 || res.status >= 300) return classifyHttp(target, res.status, topError || res.body);
  if (!body || !Array.isArray(body.results)) {
    return topError
      ? classifyHttp(target, 400, topError)
      : unavailable("bad-response", "InfluxDB answered without results");
  }
  // After a failing statement the rest say "not executed": report the one that failed.
  const errors = body.results.flatMap((r) => (r.error ? [r.error] : []));
  const error = errors.find((e) => !/not executed/i.test(e));
  if (error)
    return logged(
      target,
      res.status,
      error,
      classifyMessage(target, error) ?? unavailable("bad-query", "InfluxDB rejected the query"),
    );
  if (errors.length > 0) {
    // influxd 1.x answers a batch against a missing database with only "not executed";
    // the first statement alone names the cause.
    const first = statements.length > 1 ? await execute(target, statements.slice(0, 1)) : null;
    return first && !first.ok
      ? first
      : logged(target, res.status, errors[0] ?? "", unavailable("bad-query", "InfluxDB rejected the query"));
  }
  const out: InfluxSeries[][] = [];
  for (let i = 0; i < statements.length; i++) {
    const result = body.results.find((r) => r.statement_id === i) ?? body.results[i];
    out.push((result?.series ?? []).map(toSeries));
  }
  return { ok: true, statements: out, elapsedMs: Math.round(performance.now() - started) };
}

interface CacheEntry {
  at: number;
  value: Promise<QueryOutcome>;
}

const globalCache = globalThis as unknown as { outpostInfluxCache?: Map<string, CacheEntry> };
if (!globalCache.outpostInfluxCache) globalCache.outpostInfluxCache = new Map();
const cache: Map<string, CacheEntry> = globalCache.outpostInfluxCache;

export interface QueryOptions {
  /** how long an identical answer may be reused; 0 skips the cache */
  cacheMs?: number;
  now?: number;
}

/**
 * Runs InfluxQL statements in one request (one round trip per view). Answers,
 * including "unavailable", are shared for `cacheMs`, so a down InfluxDB is asked
 * once per window however many screens poll it.
 */
export function influxQuery(
  target: InfluxTarget,
  statements: readonly string[],
  options: QueryOptions = {},
): Promise<QueryOutcome> {
  const cacheMs = options.cacheMs ?? QUERY_CACHE_MS;
  if (cacheMs <= 0) return execute(target, statements);
  const now = options.now ?? Date.now();
  const key = `${target.key}\n${statements.join(";\n")}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < cacheMs) return hit.value;
  const value = execute(target, statements).catch(() =>
    unavailable("bad-response", "query failed unexpectedly"),
  );
  cache.set(key, { at: now, value });
  if (cache.size > MAX_CACHE_ENTRIES) {
    // Map keeps insertion order: the first entries are the oldest.
    for (const old of cache.keys()) {
      if (cache.size <= MAX_CACHE_ENTRIES * 0.8) break;
      cache.delete(old);
    }
  }
  return value;
}

export function clearQueryCache(): void {
  cache.clear();
}

export type PingOutcome = { ok: true; version: string | null; elapsedMs: number } | Unavailable;

/** `/ping`: reachability and the server version (X-Influxdb-Version). */
export async function influxPing(target: InfluxTarget): Promise<PingOutcome> {
  const started = performance.now();
  const res = await send(target, "GET", endpoint(target.url, "/ping"), null);
  if ("ok" in res) return res;
  if (res.status === 401 || res.status === 403)
    return unavailable("auth", `credentials rejected (HTTP ${res.status})`);
  if (res.status !== 204 && res.status !== 200) {
    return unavailable("server-error", `/ping answered HTTP ${res.status}; is this an InfluxDB URL?`);
  }
  let version = res.headers["x-influxdb-version"];
  if (Array.isArray(version)) version = version[0];
  if (!version) version = (parseBody(res.body) as { version?: string } | null)?.version;
  return { ok: true, version: version ?? null, elapsedMs: Math.round(performance.now() - started) };
}
