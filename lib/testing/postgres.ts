// Runs a throw-away PostgreSQL cluster (Debian's `postgresql` package) on a free
// loopback port for tests and benchmarks: initdb + pg_ctl in a temp dir, as the
// InfluxDB harness does. PostgreSQL refuses to run as root, so as root the
// cluster runs as the `postgres` system user the package creates.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freeLoopbackPort } from "./influxd";

export interface PostgresInstance {
  /** superuser connection URL of the `postgres` database */
  url: string;
  port: number;
  dataDir: string;
  /** URL of another database on this server */
  urlFor(database: string): string;
  /** CREATE DATABASE with a fresh name; returns its URL */
  createDatabase(prefix?: string): Promise<string>;
  stop(): Promise<void>;
}

export const PG_USER = "outpost";

/** The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin), or null. */
export function findPostgresBin(): string | null {
  if (process.env.OUTPOST_PG_BIN) return process.env.OUTPOST_PG_BIN;
  const root = "/usr/lib/postgresql";
  if (!fs.existsSync(root)) return null;
  const majors = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? path.join(root, majors[0], "bin") : null;
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function pgExec(bin: string, args: string[], opts: { quiet?: boolean } = {}): void {
  const [cmd, cmdArgs] = isRoot()
    ? ["/usr/sbin/runuser", ["-u", "postgres", "--", bin, ...args]]
    : [bin, args];
  const result = spawnSync(cmd, cmdArgs, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) {
    throw new Error(`${path.basename(bin)} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  if (!opts.quiet && result.stderr.trim()) process.stderr.write(result.stderr);
}

// Durability is irrelevant for a throw-away cluster; these make it start and
// write fast on a loaded 2-core machine.
const SERVER_SETTINGS = [
  "fsync=off",
  "synchronous_commit=off",
  "full_page_writes=off",
  "max_connections=300",
  "shared_buffers=64MB",
  "listen_addresses=127.0.0.1",
  "log_min_messages=fatal",
  "logging_collector=off",
];

export async function startPostgres(opts: { startTimeoutMs?: number } = {}): Promise<PostgresInstance> {
  const bin = findPostgresBin();
  if (!bin)
    throw new Error(
      "PostgreSQL not found under /usr/lib/postgresql; install it with: apt-get install -y postgresql",
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-pg-"));
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "sock");
  fs.mkdirSync(socketDir);
  if (isRoot()) execFileSync("chown", ["-R", "postgres:postgres", dir]);
  fs.chmodSync(dir, 0o755);
  pgExec(
    path.join(bin, "initdb"),
    ["-D", dataDir, "-U", PG_USER, "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"],
    {
      quiet: true,
    },
  );
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freeLoopbackPort();
    const options = [`-p ${port}`, `-k ${socketDir}`, ...SERVER_SETTINGS.map((s) => `-c ${s}`)].join(" ");
    try {
      pgExec(path.join(bin, "pg_ctl"), [
        "-D",
        dataDir,
        "-l",
        path.join(dir, "server.log"),
        "-o",
        options,
        "-w",
        "-t",
        String(Math.ceil((opts.startTimeoutMs ?? 60_000) / 1000)),
        "start",
      ]);
      break;
    } catch (err) {
      const logText = fs.existsSync(path.join(dir, "server.log"))
        ? fs.readFileSync(path.join(dir, "server.log"), "utf8")
        : "";
      if (attempt >= 3 || !/could not bind|address already in use/i.test(logText)) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`${(err as Error).message}\n${logText.slice(-2_000)}`);
      }
    }
  }
  const urlFor = (database: string) => `postgresql://${PG_USER}@127.0.0.1:${port}/${database}`;
  const url = urlFor("postgres");
  const stopSync = () => {
    try {
      pgExec(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"], { quiet: true });
    } catch {
      // already stopped
    }
  };
  process.once("exit", stopSync);
  let counter = 0;
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir,
    urlFor,
    async createDatabase(prefix = "t") {
      const { default: pg } = await import("pg");
      const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`.toLowerCase();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
    stop() {
      stopping ??= (async () => {
        process.removeListener("exit", stopSync);
        stopSync();
        fs.rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
