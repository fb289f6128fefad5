// `npm run demo`: the whole demo on one machine with no other setup: a local
// influxd, the fleet simulator with its story scenario, the fleet registered
// through the same bulk import users have, and the dashboard. Ctrl-C stops
// everything it started; running it again reuses the data in OUTPOST_DATA_DIR.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { ensureSystemPackages } from "./system-deps";

const DATA_DIR = path.resolve(process.env.OUTPOST_DATA_DIR ?? ".data");
const PORT = Number(process.env.PORT ?? 3000);
const SIM_PORT = Number(process.env.OUTPOST_DEMO_SIM_PORT ?? 7443);
const SIM_CONTROL_PORT = Number(process.env.OUTPOST_DEMO_CONTROL_PORT ?? 7700);
const INFLUX_PORT = Number(process.env.OUTPOST_DEMO_INFLUX_PORT ?? 8087);
const SINK_PORT = Number(process.env.OUTPOST_DEMO_SINK_PORT ?? 7701);
/** The example portal that embeds Outpost views (issue 11). */
const PORTAL_PORT = Number(process.env.OUTPOST_DEMO_PORTAL_PORT ?? 3100);
const SIM_DIR = path.join(DATA_DIR, "sim");
const INFLUX_DB = "telegraf";

const children: ChildProcess[] = [];
const stoppers: (() => Promise<void>)[] = [];

/**
 * Each child leads its own process group, so stopping it also stops whatever
 * it started (tsx and next run the real work in grandchildren).
 */
function spawnGroup(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env, detached: true });
}

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
}

function say(message: string): void {
  process.stdout.write(`[demo] ${message}\n`);
}

function demoPassword(): string {
  const file = path.join(DATA_DIR, "demo-admin-password");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const password = randomBytes(9).toString("base64url");
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".") || entry.name === "generated") continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function buildIfStale(): void {
  const buildId = path.join(".next", "BUILD_ID");
  const builtAt = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(
    ...["app", "components", "lib"].map(newestMtime),
    fs.statSync("next.config.ts").mtimeMs,
  );
  if (builtAt > sourcesAt) return;
  say("building the dashboard (next build)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("next build failed");
}

async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", () =>
      reject(new Error(`port ${port} (${what}) is in use; stop what uses it or choose another port`)),
    );
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

async function main(): Promise<void> {
  await assertPortFree(PORT, "dashboard, PORT");
  await assertPortFree(SIM_PORT, "simulator, OUTPOST_DEMO_SIM_PORT");
  await assertPortFree(SIM_CONTROL_PORT, "fault API, OUTPOST_DEMO_CONTROL_PORT");
  await assertPortFree(SINK_PORT, "webhook sink, OUTPOST_DEMO_SINK_PORT");
  await assertPortFree(PORTAL_PORT, "example portal, OUTPOST_DEMO_PORTAL_PORT");
  ensureSystemPackages(["influxdb"]);
  // The simulated fleet lives on loopback; real deployments leave this off.
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_DATA_DIR = DATA_DIR;
  const password = demoPassword();
  process.env.OUTPOST_ADMIN_PASSWORD = password;

  const { startInfluxd, createDatabase } = await import("@/lib/testing/influxd");
  say(`starting influxd on 127.0.0.1:${INFLUX_PORT} (data in ${path.join(DATA_DIR, "influxdb")})`);
  const influx = await startInfluxd({ dataDir: path.join(DATA_DIR, "influxdb"), port: INFLUX_PORT });
  stoppers.push(() => influx.stop());
  await createDatabase(influx.url, INFLUX_DB);
  // An hour of history so charts have something to show from the first minute
  // (same deterministic fleet as the simulator's demo preset; rewriting a point is idempotent).
  const [{ backfill }, { demoFleet, telemetryNodes }] = await Promise.all([
    import("@/lib/simulator/telemetry"),
    import("@/lib/simulator/fleet"),
  ]);
  const backfilled = await backfill(
    { influxUrl: influx.url, database: INFLUX_DB, intervalMs: 10_000, nodes: telemetryNodes(demoFleet()) },
    Date.now() - 3_600_000,
    Date.now(),
  );
  say(`telemetry history: ${backfilled.points} points for the last hour`);

  const manifestPath = path.join(SIM_DIR, "manifest.json");
  const startedAt = Date.now();
  say("starting the fleet simulator (demo preset, story scenario)…");
  const sim = spawn("npx", [
    "tsx",
    "lib/simulator/cli.ts",
    "--preset",
    "demo",
    "--out",
    SIM_DIR,
    "--influx",
    influx.url,
    "--influx-db",
    INFLUX_DB,
    "--port",
    String(SIM_PORT),
    "--control-port",
    String(SIM_CONTROL_PORT),
  ]);
  children.push(sim);
  await waitFor(
    () => fs.existsSync(manifestPath) && fs.statSync(manifestPath).mtimeMs >= startedAt - 1000,
    "the simulator's manifest",
  );

  const [{ readFleetDirectory }, { importFleet, summarize }, { ensureFirstAdmin }, { ensureDemoDataSource }] =
    await Promise.all([
      import("@/lib/fleet/import-dir"),
      import("@/lib/fleet/import"),
      import("@/lib/auth/users"),
      import("@/lib/telemetry/data-sources"),
    ]);
  await ensureFirstAdmin();
  await ensureDemoDataSource(influx.url, INFLUX_DB);
  const { items } = readFleetDirectory(SIM_DIR);
  const s = summarize(await importFleet(items));
  say(
    `fleet import: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.error} failed`,
  );
  const { setupDemoAlerts } = await import("./demo-alerts");
  const sink = await setupDemoAlerts({ dataDir: DATA_DIR, port: SINK_PORT });
  stoppers.push(() => sink.stop());
  say(`alerts: rules routed to the local webhook sink at ${sink.url}`);

  buildIfStale();
  const web = spawnGroup(process.execPath, ["server.mjs", "-p", String(PORT)], {
    ...process.env,
    OUTPOST_LOG_LEVEL: process.env.OUTPOST_LOG_LEVEL ?? "warn",
  });
  children.push(web);
  web.once("exit", (code) => {
    if (!isStopping) {
      say(`the dashboard exited (code ${code})`);
      void shutdown(1);
    }
  });
  await waitFor(async () => {
    try {
      return (await fetch(`http://127.0.0.1:${PORT}/api/healthz`)).ok;
    } catch {
      return false;
    }
  }, "the dashboard");
  await seedDeployDemo();
  const { startDemoPortal } = await import("./demo-portal");
  const portal = await startDemoPortal({ outpostUrl: `http://localhost:${PORT}`, port: PORTAL_PORT });
  stoppers.push(() => portal.stop());
  process.stdout.write(
    `\n  Outpost demo is running\n\n    dashboard:   http://localhost:${PORT}\n    username:    admin\n    password:    ${password}   (also in ${path.join(DATA_DIR, "demo-admin-password")})\n    fault API:   http://127.0.0.1:${SIM_CONTROL_PORT}/faults\n    portal:      ${portal.url}   (example portal embedding live charts and cards)\n    alerts:      http://localhost:${PORT}/alerts (webhook sink: Alerts → Contact points)\n    influxdb:    ${influx.url} (database ${INFLUX_DB})\n\n  Ctrl-C stops everything.\n\n`,
  );
}

/** Deploy's part: sample deployments, one rolling out while a store is dark (lib/deploy/demo.ts). */
async function seedDeployDemo(): Promise<void> {
  const { seedDemoDeployments } = await import("@/lib/deploy/demo");
  const result = await seedDemoDeployments(async (fault) => {
    const res = await fetch(`http://127.0.0.1:${SIM_CONTROL_PORT}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(fault),
    });
    if (res.status !== 201) throw new Error(`the simulator refused the demo fault: ${res.status}`);
  });
  say(result.message);
}

let isStopping = false;
async function shutdown(code: number): Promise<void> {
  if (isStopping) return;
  isStopping = true;
  say("stopping…");
  for (const c of children) stopGroup(c);
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
  );
  for (const stop of stoppers) await stop().catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch((err: unknown) => {
  process.stderr.write(`[demo] ${err instanceof Error ? err.message : String(err)}\n`);
  void shutdown(1);
});
