// The production server (`server.mjs`) as benches run it: a free port, its own
// process group (stopped with everything it started; it used to outlive the
// bench), its output in a log file, and a session of the first admin, whom the
// server's own start-up creates from OUTPOST_ADMIN_PASSWORD.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { benchServerNodeArgs } from "./kit";

export const BENCH_ADMIN_PASSWORD = "bench-admin-password";

export interface BenchServer {
  base: string;
  process: ChildProcess;
  cookie: string;
  log: string;
}

/** The server's own output, for when it dies mid-run. */
function tailOf(log: string): string {
  try {
    return fs.readFileSync(log, "utf8").split("\n").slice(-40).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Starts the server on `dataDir` (env added on top) and logs in; `name` names its log file. */
export async function startBenchServer(
  dataDir: string,
  name: string,
  env: Record<string, string> = {},
): Promise<BenchServer> {
  // A free port: a random one could be another engineer's server, which answers /api/healthz too.
  const { freeLoopbackPort } = await import("@/lib/testing/influxd");
  const port = await freeLoopbackPort();
  const log = path.join(dataDir, `${name}.log`);
  const out = fs.openSync(log, "a");
  const nodeArgs = benchServerNodeArgs();
  const child = spawn(process.execPath, [...nodeArgs, "server.mjs", "-p", String(port)], {
    stdio: ["ignore", out, out],
    detached: true,
    env: {
      ...process.env,
      OUTPOST_DATA_DIR: dataDir,
      OUTPOST_ADMIN_PASSWORD: BENCH_ADMIN_PASSWORD,
      OUTPOST_LOG_LEVEL: "error",
      ...env,
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (i > 240 || child.exitCode !== null)
      throw new Error(`web server on ${port} did not start; its log ${log}:\n${tailOf(log)}`);
    try {
      if ((await fetch(`${base}/api/healthz`)).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  const login = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ username: "admin", password: BENCH_ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`bench login failed: HTTP ${login.status}`);
  return { base, process: child, log, cookie: (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "" };
}

/** A socket the server closed as idle just as fetch reused it (keep-alive race), not a failed server. */
function isReusedSocketReset(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET";
}

/** A request as the logged-in admin; one that fails says why: the server's exit and its last words. */
export async function benchGet(s: BenchServer, pathname: string): Promise<Response> {
  try {
    try {
      return await fetch(`${s.base}${pathname}`, { headers: { cookie: s.cookie } });
    } catch (err) {
      // A GET is safe to repeat; a server that is really gone fails the second time too.
      if (!isReusedSocketReset(err) || s.process.exitCode !== null) throw err;
      return await fetch(`${s.base}${pathname}`, { headers: { cookie: s.cookie } });
    }
  } catch (err) {
    const exit = s.process.exitCode ?? s.process.signalCode;
    throw new Error(
      `${pathname} on ${s.base} failed (${String(err)}: ${String((err as { cause?: unknown }).cause)}; server ${exit === null ? "running" : `exited: ${exit}`}); its log ${s.log}:\n${tailOf(s.log)}`,
    );
  }
}

/** SIGTERM to the server's whole process group (server.mjs → next-server), then wait until it is gone. */
export async function stopBenchServer(s: BenchServer): Promise<void> {
  if (s.process.exitCode !== null || s.process.pid === undefined) return;
  const exited = new Promise((r) => s.process.once("exit", r));
  try {
    process.kill(-s.process.pid, "SIGTERM");
  } catch {
    s.process.kill("SIGTERM");
  }
  await exited;
}
