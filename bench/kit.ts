// Shared pieces of the benchmark sections: recording numbers, process RSS,
// simulated fleets in their own processes, bulk import. Benchmarks only: product
// code never imports anything under bench/.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** One section of `npm run bench`; register it in bench/sections.ts. */
export interface BenchSection {
  /** the word after `npm run bench --` */
  name: string;
  /** one line for the list printed by `npm run bench -- --list` */
  summary: string;
  /** true: runs only when named, not in a plain `npm run bench` */
  isOptIn?: boolean;
  run(): Promise<void>;
}

export const results: { section: string; metric: string; value: string }[] = [];

/** Prints one number now and keeps it for the summary table at the end. */
export function record(section: string, metric: string, value: number | string, unit = ""): void {
  const text =
    typeof value === "number" ? `${Math.round(value * 100) / 100}${unit ? ` ${unit}` : ""}` : value;
  results.push({ section, metric, value: text });
  process.stdout.write(`  ${section.padEnd(10)} ${metric.padEnd(48)} ${text}\n`);
}

/**
 * Node flags for the servers a bench starts, from BENCH_SERVER_NODE_ARGS (space-separated), e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof": Node refuses --cpu-prof in NODE_OPTIONS. The profile is
 * written when the server exits on the bench's SIGTERM.
 */
export function benchServerNodeArgs(): string[] {
  return process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function rssOfPid(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** RSS of a process and all its descendants (npx → tsx → node). */
export function treeRss(pid: number | undefined): number {
  if (!pid) return 0;
  const children = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .filter(Boolean)
    .map(Number);
  return rssOfPid(pid) + children.reduce((sum, c) => sum + treeRss(c), 0);
}

export const mb = (bytes: number) => bytes / 1024 / 1024;

/** Runs a benchmark program (bench/programs/) in its own process and passes its output through. */
export function runChildBench(section: string, args: string[]): void {
  process.stdout.write(`\n▶ ${section}: ${args.join(" ")}\n`);
  const r = spawnSync("npx", ["tsx", "--conditions=react-server", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NODE_OPTIONS: "--expose-gc" },
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0) record(section, "run", `failed (exit ${r.status})`);
}

async function startBenchFleet(
  count: number,
  dir: string,
  prefix: string,
  latencyMs = 0,
): Promise<ChildProcess> {
  const child = spawn(
    "node_modules/.bin/tsx",
    ["bench/programs/store-fleet.ts", String(count), dir, prefix, String(latencyMs)],
    // Own process group: tsx runs the simulator in a grandchild, which must stop with it.
    { stdio: ["ignore", "pipe", "inherit"], detached: true },
  );

  await new Promise<void>((resolve, reject) => {
    let buf = "";
    child.stdout?.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("READY")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`bench fleet exited with ${code}`)));
  });
  return child;
}

async function stopAll(children: ChildProcess[]): Promise<void> {
  for (const c of children) {
    try {
      if (c.pid !== undefined && c.exitCode === null) process.kill(-c.pid, "SIGTERM");
    } catch {
      c.kill("SIGTERM");
    }
  }
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))),
  );
}

/** `total` simulated clusters split over processes of at most `perProcess` each (sizes differ by one at most). */
export function splitAcrossProcesses(total: number, perProcess: number): number[] {
  const processes = Math.max(1, Math.ceil(total / perProcess));
  return Array.from(
    { length: processes },
    (_, i) => Math.floor(total / processes) + (i < total % processes ? 1 : 0),
  );
}

/** Simulated stores in `counts.length` processes (bench/programs/store-fleet.ts), stopped afterwards. */
export async function withFleet<T>(
  dataDir: string,
  counts: number[],
  fn: (dirs: string[], sims: ChildProcess[]) => Promise<T>,
  latencyMs = 0,
): Promise<T> {
  const sims: ChildProcess[] = [];
  try {
    const dirs = counts.map((_, i) => path.join(dataDir, `fleet-${i}`));
    for (const [i, count] of counts.entries())
      sims.push(await startBenchFleet(count, dirs[i] as string, `p${i}-`, latencyMs));
    return await fn(dirs, sims);
  } finally {
    await stopAll(sims);
  }
}

/** Bulk-imports the fleet directories the simulators wrote; returns how many clusters. */
export async function importDirs(dirs: string[]): Promise<number> {
  const { readFleetDirectory } = await import("@/lib/fleet/import-dir");
  const { importFleet, summarize } = await import("@/lib/fleet/import");
  let total = 0;
  for (const dir of dirs) {
    const s = summarize(await importFleet(readFleetDirectory(dir).items));
    if (s.error > 0) throw new Error(`${s.error} clusters failed to import from ${dir}`);
    total += s.created + s.updated + s.unchanged;
  }
  return total;
}

/**
 * Data directories of this run, removed when it ends well (a 10,000-site one is
 * ≈ 200 MB); after a failure they stay, with the servers' logs the error names.
 * BENCH_KEEP_DATA=1 keeps them always.
 */
const dataDirs: string[] = [];
process.on("exit", (code) => {
  if (code !== 0 || process.env.BENCH_KEEP_DATA === "1") return;
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Points Outpost's modules (env, database) at a fresh data directory for one section. */
export async function freshDataDir(prefix: string): Promise<string> {
  const os = await import("node:os");
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dataDirs.push(dataDir);
  process.env.OUTPOST_DATA_DIR = dataDir;
  const { resetEnvForTests } = await import("@/lib/env");
  const { resetDbForTests } = await import("@/lib/db/client");
  resetEnvForTests();
  await resetDbForTests();
  return dataDir;
}

/** What the production build is made of: a change to any of these makes `.next` stale. */
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];
/** Written into `.next` by ensureBuild(): which committed sources the build is of, and when it started. */
const BUILD_STAMP = ".next/outpost-bench-build.json";

/**
 * Git's ids of the committed build inputs (tests left out): the same whatever else a commit changes,
 * so a README or bench commit does not force a rebuild. null outside a git checkout.
 */
function committedSources(): string | null {
  const r = spawnSync("git", ["ls-tree", "-r", "HEAD", "--", ...BUILD_INPUTS], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const lines = r.stdout.split("\n").filter((l) => l && !/\.test\.tsx?$/.test(l));
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

/** Newest modification time among the build's inputs (tests excluded: they are not in the build). */
function newestInput(): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const entry of fs.readdirSync(p)) {
        if (entry === "node_modules" || entry.startsWith(".")) continue;
        visit(path.join(p, entry));
      }
    } else if (!/\.test\.tsx?$/.test(p) && st.mtimeMs > newest.mtimeMs)
      newest = { file: p, mtimeMs: st.mtimeMs };
  };
  for (const input of BUILD_INPUTS) visit(input);
  return newest;
}

/** Why the existing `.next` is not a build of the code under test, or null when it is. */
function staleBuild(sources: string | null): string | null {
  if (!fs.existsSync(".next/BUILD_ID")) return "no build yet";
  let stamp: { sources: string | null; startedAtMs: number };
  try {
    stamp = JSON.parse(fs.readFileSync(BUILD_STAMP, "utf8"));
  } catch {
    return "the build was not made by the bench (no stamp): its sources are unknown";
  }
  if (stamp.sources !== sources) return "the committed sources changed since the build";
  const newest = newestInput();
  // Edits that are not committed (or a checkout that kept the sha): newer than the build's start.
  if (newest.mtimeMs > stamp.startedAtMs) return `${newest.file} changed after the build started`;
  return null;
}

/**
 * `next build` unless `.next` is a build of the code under test (sections that start the production
 * server): same committed sources, and no build input modified since that build started. Otherwise the numbers
 * would be of whatever was built last.
 */
export function ensureBuild(): void {
  const sources = committedSources();
  const reason = staleBuild(sources);
  if (reason === null) {
    process.stdout.write("  (reusing .next: a build of these sources)\n");
    return;
  }
  process.stdout.write(`  next build: ${reason}\n`);
  const startedAtMs = Date.now();
  const r = spawnSync("npx", ["next", "build"], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("next build failed");
  fs.writeFileSync(BUILD_STAMP, JSON.stringify({ sources, startedAtMs }));
}
