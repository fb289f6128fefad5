// The pieces a demo-like Outpost needs, shared by the e2e global setup and `npm run bench -- page`:
// a production server on a temp data dir, the simulated fleet imported over HTTP as an admin
// would, and a real InfluxDB fed by the simulator's telemetry writer (history + live, wired
// to the simulator's faults) registered as the default data source.
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BackfillResult,
  backfill,
  type OutpostTelemetryHandle,
  startTelemetry,
  type TelemetryFaults,
  type TelemetryNode,
} from "@/lib/simulator/telemetry";
import { readFleetDirectoryForTests } from "./fleet-directory";
import { createDatabase, freeLoopbackPort, type InfluxdInstance, startInfluxd } from "./influxd";

/** Left between the history and the live writer's first sample: shorter than any sample interval. */
const CATCH_UP_SLACK_MS = 20;

/** Telegraf's default database name. */
export const TELEMETRY_DATABASE = "telegraf";

// ---------------------------------------------------------------------------
// InfluxDB with the fleet's telemetry

export interface TelemetryFleetOptions {
  nodes: TelemetryNode[];
  /** the simulator's live fault view (overheating, uplink down, …) */
  faults: TelemetryFaults;
  /** per-node sample period, for the history and the live writer alike */
  intervalMs: number;
  /** healthy history written before the live writer starts */
  historyMs: number;
  database?: string;
}

export interface TelemetryFleet {
  influx: InfluxdInstance;
  database: string;
  history: BackfillResult;
  live: OutpostTelemetryHandle;
  /** stops the writer, then influxd (its temp dir is removed) */
  stop(): Promise<void>;
}

/** Starts influxd on loopback, writes `historyMs` of history up to now, then keeps writing live. */
export async function startTelemetryFleet(options: TelemetryFleetOptions): Promise<TelemetryFleet> {
  const database = options.database ?? TELEMETRY_DATABASE;
  const influx = await startInfluxd();
  try {
    await createDatabase(influx.url, database);
    const base = { influxUrl: influx.url, database, intervalMs: options.intervalMs, nodes: options.nodes };
    let toMs = Date.now();
    const history = await backfill(base, toMs - options.historyMs, toMs);
    // The live writer samples from its own start on: catch up what passed while the history was written,
    // so the series has no gap at the seam (backfill covers [from, to] inclusive; a few ms may remain).
    for (let now = Date.now(); now - toMs > CATCH_UP_SLACK_MS; now = Date.now()) {
      const more = await backfill(base, toMs + 1, now);
      history.points += more.points;
      history.requests += more.requests;
      toMs = now;
    }
    const live = startTelemetry({ ...base, faults: options.faults });
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await live.stop();
        await influx.stop();
      })();
      return stopping;
    };
    return { influx, database, history, live, stop };
  } catch (error) {
    await influx.stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------
// A production Outpost server (`npm start`: server.mjs, needs a current `next build`)

const SERVER_START_TIMEOUT_MS = 60_000;

export interface OutpostServer {
  baseUrl: string;
  /** npx → next; spawned detached, so -pid is its process group */
  process: ChildProcess;
  logFile: string;
  stop(): void;
}

export async function startOutpostServer(options: {
  dataDir: string;
  logFile: string;
  /** added to this process's environment (NODE_ENV=production and OUTPOST_DATA_DIR are set here) */
  env: Record<string, string>;
  cwd?: string;
  /** flags for node itself, e.g. --cpu-prof (Node refuses those in NODE_OPTIONS) */
  nodeArgs?: readonly string[];
}): Promise<OutpostServer> {
  const port = await freeLoopbackPort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const out = openSync(options.logFile, "a");
  const server = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), "server.mjs", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: options.cwd ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", ".."),
      env: { ...process.env, ...options.env, NODE_ENV: "production", OUTPOST_DATA_DIR: options.dataDir },
      stdio: ["ignore", out, out],
      detached: true,
    },
  );
  server.unref();
  const stop = () => {
    if (!server.pid) return;
    try {
      process.kill(-server.pid, "SIGTERM");
    } catch {
      // already gone
    }
  };
  try {
    await waitForHealthy(baseUrl, server, options.logFile);
  } catch (error) {
    stop();
    throw error;
  }
  return { baseUrl, process: server, logFile: options.logFile, stop };
}

async function waitForHealthy(url: string, server: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`the Outpost server exited with ${server.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${url}/api/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Outpost did not become healthy within ${SERVER_START_TIMEOUT_MS} ms; see ${logFile}`);
}

// ---------------------------------------------------------------------------
// What an admin does over the API

/** Signs in and returns the session cookie header. */
export async function adminCookie(baseUrl: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: baseUrl },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`admin login failed: HTTP ${login.status}`);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

function jsonHeaders(baseUrl: string, cookie: string) {
  return { "content-type": "application/json", origin: baseUrl, cookie };
}

/**
 * Imports a simulator's fleet directory through the bulk import API, then waits until the
 * collector has reached every cluster of `slugs` once.
 */
export async function importFleetDirectory(
  baseUrl: string,
  cookie: string,
  dir: string,
  slugs: readonly string[],
  firstSweepTimeoutMs: number,
): Promise<void> {
  const { items, problems } = readFleetDirectoryForTests(dir);
  if (problems.length > 0) throw new Error(`fleet directory ${dir}: ${JSON.stringify(problems)}`);
  const res = await fetch(`${baseUrl}/api/clusters/import`, {
    method: "POST",
    headers: jsonHeaders(baseUrl, cookie),
    body: JSON.stringify({ items }),
  });
  const body = (await res.json()) as { summary?: { created: number; error: number } };
  if (!res.ok || !body.summary || body.summary.error > 0)
    throw new Error(`fleet import failed: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);

  const wanted = new Set(slugs);
  const deadline = Date.now() + firstSweepTimeoutMs;
  let pending: string[] = [...wanted];
  while (Date.now() < deadline) {
    const health = await fetch(`${baseUrl}/api/fleet/health?limit=500`, { headers: { cookie } });
    if (health.ok) {
      const page = (await health.json()) as {
        items: { slug: string; counts: { clusters: number; clustersFresh: number } }[];
      };
      pending = page.items
        .filter((i) => wanted.has(i.slug) && i.counts.clustersFresh < i.counts.clusters)
        .map((i) => i.slug);
      if (pending.length === 0) return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `the collector did not reach every simulated site within ${firstSweepTimeoutMs} ms: ${pending.join(", ")}`,
  );
}

/** What POST/PUT /api/data-sources take (the subset used here; see lib/telemetry/schemas). */
export interface DataSourceBody {
  name: string;
  url: string;
  database: string;
  isDefault: true;
  /** e.g. { sampleSeconds: 5 } when the writer samples every 5 s; omitted: Telegraf's defaults */
  mapping?: Record<string, unknown>;
}

export interface DataSourceRef {
  id: string;
  /** what it was registered with, for a later PUT */
  body: DataSourceBody;
}

/** Registers an InfluxDB as the default data source (the server needs OUTPOST_ALLOW_LOOPBACK=1 for 127.0.0.1). */
export async function registerDefaultDataSource(
  baseUrl: string,
  cookie: string,
  input: Omit<DataSourceBody, "isDefault">,
): Promise<DataSourceRef> {
  const request: DataSourceBody = { ...input, isDefault: true };
  const res = await fetch(`${baseUrl}/api/data-sources`, {
    method: "POST",
    headers: jsonHeaders(baseUrl, cookie),
    body: JSON.stringify(request),
  });
  const body = (await res.json()) as { dataSource?: { id: string; isDefault: boolean } };
  if (res.status !== 200 || !body.dataSource?.isDefault)
    throw new Error(`data source not registered: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return { id: body.dataSource.id, body: request };
}
