// Runs a real InfluxDB 1.x (`influxd`) on loopback for tests, benchmarks and the demo.
// Everything the daemon writes (meta, data, WAL, pidfile, config) lives in one directory so
// several instances can run side by side and a persistent dir survives restarts.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface StartInfluxdOptions {
  /** persistent directory (created if missing); a temp dir removed on stop() when omitted */
  dataDir?: string;
  /** HTTP port on 127.0.0.1; a free one is picked when omitted */
  port?: number;
  /** path to the influxd binary; $INFLUXD_BIN or /usr/bin/influxd by default */
  binary?: string;
  /** how long to wait for /ping to answer 204 */
  startTimeoutMs?: number;
}

export interface InfluxdInstance {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

const DEFAULT_BINARY = "/usr/bin/influxd";
const PIDFILE = "influxd.pid";
const CONFIG_FILE = "influxd.conf";
const STDERR_TAIL_BYTES = 8_192;

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

function renderConfig(dir: string, httpPort: number, rpcPort: number): string {
  // Only what differs from the built-in defaults (see `influxd config`): loopback binds so the
  // RPC service does not grab the well-known :8088, no phoning home, no _internal self-monitoring
  // (it would compete with the writes we measure), and logs kept to errors.
  const q = (value: string) => JSON.stringify(value);
  return [
    "reporting-enabled = false",
    `bind-address = ${q(`127.0.0.1:${rpcPort}`)}`,
    "",
    "[meta]",
    `  dir = ${q(path.join(dir, "meta"))}`,
    "  logging-enabled = false",
    "",
    "[data]",
    `  dir = ${q(path.join(dir, "data"))}`,
    `  wal-dir = ${q(path.join(dir, "wal"))}`,
    "  query-log-enabled = false",
    "",
    "[monitor]",
    "  store-enabled = false",
    "",
    "[subscriber]",
    "  enabled = false",
    "",
    "[http]",
    `  bind-address = ${q(`127.0.0.1:${httpPort}`)}`,
    "  log-enabled = false",
    "  suppress-write-log = true",
    "  pprof-enabled = false",
    "",
    "[logging]",
    '  level = "error"',
    "  suppress-logo = true",
    "",
    "[continuous_queries]",
    "  log-enabled = false",
    "",
  ].join("\n");
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A pid from a stale pidfile may have been reused by an unrelated process since. */
async function isInfluxd(pid: number): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, "utf8")).includes("influxd");
  } catch {
    // No procfs (macOS): trust the liveness check.
    return process.platform !== "linux";
  }
}

async function assertDirNotInUse(dir: string): Promise<void> {
  const pidPath = path.join(dir, PIDFILE);
  if (!existsSync(pidPath)) return;
  const pid = Number.parseInt((await readFile(pidPath, "utf8")).trim(), 10);
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && (await isInfluxd(pid))) {
    // Two daemons on one data dir would corrupt the TSM files; refuse instead.
    throw new Error(`influxd (pid ${pid}) is already running on ${dir}`);
  }
  await rm(pidPath, { force: true });
}

/** Environment without INFLUXDB_* overrides, which influxd would apply on top of our config file. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith("INFLUXDB_")) delete env[key];
  }
  return env;
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number, stderr: () => string) {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `influxd exited (${child.exitCode ?? child.signalCode}) before answering /ping: ${stderr()}`,
      );
    }
    try {
      const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 204) return;
      lastError = `status ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`influxd did not answer /ping within ${timeoutMs} ms (${lastError}): ${stderr()}`);
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function spawnInfluxd(binary: string, configPath: string, pidPath: string): ChildProcess {
  const args = ["run", "-config", configPath, "-pidfile", pidPath];
  // setpriv's parent-death signal stops the daemon even when this process is SIGKILLed,
  // where no exit handler of ours could run.
  const hasSetpriv = process.platform === "linux" && existsSync("/usr/bin/setpriv");
  const [command, commandArgs] = hasSetpriv
    ? ["/usr/bin/setpriv", ["--pdeathsig", "SIGTERM", binary, ...args]]
    : [binary, args];
  return spawn(command, commandArgs, { stdio: ["ignore", "ignore", "pipe"], env: childEnv() });
}

async function launch(dir: string, httpPort: number, binary: string, timeoutMs: number) {
  const rpcPort = await freeLoopbackPort();
  const configPath = path.join(dir, CONFIG_FILE);
  await writeFile(configPath, renderConfig(dir, httpPort, rpcPort));
  const child = spawnInfluxd(binary, configPath, path.join(dir, PIDFILE));
  let stderrTail = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  const url = `http://127.0.0.1:${httpPort}`;
  try {
    await Promise.race([waitForPing(url, child, timeoutMs, () => stderrTail.trim()), spawnError]);
  } catch (error) {
    child.kill("SIGKILL");
    await waitForExit(child, 2_000);
    throw Object.assign(error as Error, { stderr: stderrTail });
  }
  return { child, url };
}

export async function startInfluxd(options: StartInfluxdOptions = {}): Promise<InfluxdInstance> {
  const binary = options.binary ?? process.env.INFLUXD_BIN ?? DEFAULT_BINARY;
  if (!existsSync(binary)) {
    throw new Error(`influxd not found at ${binary}; install it with: apt-get install -y influxdb`);
  }
  const isTempDir = !options.dataDir;
  const dir = options.dataDir
    ? path.resolve(options.dataDir)
    : await mkdtemp(path.join(tmpdir(), "outpost-influxd-"));
  await mkdir(dir, { recursive: true });
  await assertDirNotInUse(dir);

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  // A port picked by us can be taken by someone else before influxd binds it: retry a few times.
  const attempts = options.port ? 1 : 3;
  let launched: Awaited<ReturnType<typeof launch>> | undefined;
  let httpPort = 0;
  for (let attempt = 1; !launched; attempt++) {
    httpPort = options.port ?? (await freeLoopbackPort());
    try {
      launched = await launch(dir, httpPort, binary, timeoutMs);
    } catch (error) {
      const isPortClash = /address already in use/i.test(String((error as { stderr?: string }).stderr));
      if (attempt >= attempts || !isPortClash) {
        if (isTempDir) await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const { child, url } = launched;

  const killOnExit = () => {
    child.kill("SIGTERM");
  };
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      child.kill("SIGTERM");
      // influxd closes its shards and WAL on SIGTERM; only force it if that hangs.
      if (!(await waitForExit(child, 15_000))) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
      if (isTempDir) await rm(dir, { recursive: true, force: true });
      else await rm(path.join(dir, PIDFILE), { force: true });
    })();
    return stopping;
  };

  return { url, port: httpPort, dataDir: dir, pid: child.pid ?? 0, stop };
}

/** InfluxQL identifiers in double quotes escape `"` and `\` with a backslash. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** InfluxQL single-quoted string literal (tag values in WHERE clauses). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

export interface InfluxQueryResult {
  results: Array<{
    statement_id?: number;
    error?: string;
    series?: Array<{
      name: string;
      tags?: Record<string, string>;
      columns: string[];
      values: unknown[][];
    }>;
  }>;
  error?: string;
}

/** Runs InfluxQL through the v1 /query endpoint; throws on HTTP or statement errors. */
export async function queryInflux(
  url: string,
  q: string,
  options: { db?: string; epoch?: "ms" | "s" | "ns"; method?: "GET" | "POST" } = {},
): Promise<InfluxQueryResult> {
  const params = new URLSearchParams({ q, epoch: options.epoch ?? "ms" });
  if (options.db) params.set("db", options.db);
  const method = options.method ?? "GET";
  const response =
    method === "GET"
      ? await fetch(`${url}/query?${params}`)
      : await fetch(`${url}/query`, { method: "POST", body: params });
  const body = (await response.json()) as InfluxQueryResult;
  const statementError = body.error ?? body.results.find((result) => result.error)?.error;
  if (!response.ok || statementError) {
    throw new Error(`InfluxQL failed (${response.status}): ${statementError ?? "unknown error"}`);
  }
  return body;
}

export async function createDatabase(url: string, name: string): Promise<void> {
  // CREATE DATABASE is idempotent in 1.x and must go through POST.
  await queryInflux(url, `CREATE DATABASE ${quoteIdentifier(name)}`, { method: "POST" });
}
