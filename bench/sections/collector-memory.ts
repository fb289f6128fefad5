// Issue 13: collector memory at 10,000 clusters in both connection modes (one
// kept-alive TLS connection per cluster, the default; or connections closed
// after each poll, TLS sessions resumed), each in its own process against the same
// simulated fleet: RSS in total and per cluster, CPU per sweep, and what that
// means at the 15 s interval; and a cap between them (kept:<n>, BENCH_MEMORY_KEPT,
// default half the fleet: that many keep their connection, the rest resume).
// BENCH_MEMORY_MODES picks what runs (default parts,keep-alive,per-poll,kept).
// A mode may name process settings to start with (glibc malloc environment, node/V8
// flags), defined in BENCH_MEMORY_VARIANTS as JSON, and run beside the plain one:
// BENCH_MEMORY_VARIANTS='{"arena2":{"env":{"MALLOC_ARENA_MAX":"2"},"nodeFlags":["--max-semi-space-size=2"]}}'
// BENCH_MEMORY_MODES=keep-alive,keep-alive@arena2. BENCH_MEMORY_CLUSTERS changes the fleet size;
// BENCH_NODE_OPTIONS (e.g. --cpu-prof) and BENCH_HEAP_SNAPSHOT=<path prefix> profile the runs.
import { spawnSync } from "node:child_process";
import os from "node:os";
import {
  type BenchSection,
  freshDataDir,
  importDirs,
  mb,
  percentile,
  record,
  splitAcrossProcesses,
  withFleet,
} from "../kit";

const CLUSTERS = Number(process.env.BENCH_MEMORY_CLUSTERS ?? 10_000);
/** One simulator process serves about 2,000 clusters comfortably. */
const PER_PROCESS = 2_000;
/** Two minutes at the 15 s interval: each cluster's certificate re-check (a full TLS handshake) once. */
const SWEEPS = 8;
const INTERVAL_S = 15;

interface Result {
  mode: string;
  clusters: number;
  warmSweepS: number;
  cpuS: number[];
  wallS: number[];
  failed: number;
  rssBefore: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** RSS that is anonymous memory (heaps) and file-backed (the node binary, libraries) */
  rssAnon: number;
  rssFile: number;
  sockets: number;
  handshakes: { full: number; resumed: number };
}

/** What a collector process starts with: environment (glibc malloc) and node/V8 flags. */
interface ProcessSettings {
  env?: Record<string, string>;
  nodeFlags?: string[];
}

/** Named process settings to try (BENCH_MEMORY_VARIANTS); a mode without a name runs plain node. */
const SETTINGS = JSON.parse(process.env.BENCH_MEMORY_VARIANTS ?? "{}") as Record<string, ProcessSettings>;

function settingsText(settings: ProcessSettings): string {
  const parts = [
    ...Object.entries(settings.env ?? {}).map(([k, v]) => `${k}=${v}`),
    ...(settings.nodeFlags ?? []),
  ];
  return parts.length > 0 ? parts.join(" ") : "plain node";
}

function runMode(
  dataDir: string,
  mode: string,
  sweeps = SWEEPS,
  settings: ProcessSettings = {},
): Result | null {
  const extra = (process.env.BENCH_NODE_OPTIONS ?? "").split(" ").filter(Boolean);
  // node itself, not the tsx CLI: the flags and environment are those of the collector's own process.
  const r = spawnSync(
    process.execPath,
    [
      ...(settings.nodeFlags ?? []),
      ...extra,
      "--expose-gc",
      "--import",
      "tsx",
      "--conditions=react-server",
      "bench/programs/collector-memory.ts",
      dataDir,
      mode,
      String(sweeps),
    ],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, ...settings.env },
    },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) {
    record("memory", `[${mode}] run`, `failed (exit ${r.status})`);
    return null;
  }
  return JSON.parse(line.slice("RESULT ".length)) as Result;
}

interface Parts {
  clusters: number;
  contextKb: number;
  socketKb: number;
  keptMs: number;
  resumedMs: number;
  fullMs: number;
  handshakes: { full: number; resumed: number };
}

/** The parts of the per-cluster cost both modes are made of (bench/programs/collector-parts.ts). */
function recordParts(dataDir: string): void {
  const r = spawnSync(
    "node_modules/.bin/tsx",
    ["--conditions=react-server", "bench/programs/collector-parts.ts", dataDir],
    {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, NODE_OPTIONS: "--expose-gc" },
    },
  );
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) {
    record("memory", "[parts] run", `failed (exit ${r.status})`);
    return;
  }
  const p = JSON.parse(line.slice("RESULT ".length)) as Parts;
  record("memory", "[parts] RSS per cluster: client + TLS context (CA, cert, key)", p.contextKb, "KB");
  record("memory", "[parts] RSS per cluster: one kept TLS connection", p.socketKb, "KB");
  record(
    "memory",
    "[parts] CPU per request: kept / reconnect, resumed / full handshake",
    `${p.keptMs.toFixed(2)} / ${p.resumedMs.toFixed(2)} / ${p.fullMs.toFixed(2)} ms`,
  );
  record(
    "memory",
    "[parts] handshakes of the resumed client: full / resumed",
    `${p.handshakes.full} / ${p.handshakes.resumed}`,
  );
}

async function benchMemory(): Promise<void> {
  const processes = splitAcrossProcesses(CLUSTERS, PER_PROCESS).length;
  process.stdout.write(
    `\n▶ memory: collector at ${CLUSTERS} clusters (${processes} simulator processes), before vs now\n`,
  );
  const dataDir = await freshDataDir(`outpost-bench-memory-${CLUSTERS}-`);
  const per = splitAcrossProcesses(CLUSTERS, PER_PROCESS);
  await withFleet(dataDir, per, async (dirs) => {
    const imported = await importDirs(dirs);
    const wanted = (process.env.BENCH_MEMORY_MODES ?? "parts,keep-alive,per-poll,kept").split(",");
    const kept = Number(process.env.BENCH_MEMORY_KEPT ?? Math.floor(imported / 2));
    // The simulators build each cluster on first contact: warm them so every mode meets the same fleet.
    runMode(dataDir, "keep-alive", 0);
    if (wanted.includes("parts")) recordParts(dataDir);
    const labels: Record<string, [string, string]> = {
      "keep-alive": ["keep-alive", "keep-alive, the default: one TLS connection kept per cluster"],
      "per-poll": ["per-poll", "per-poll: connection closed after each poll, TLS session resumed"],
      kept: [
        `kept:${kept}`,
        `kept:${kept} (OUTPOST_COLLECTOR_KEPT_CONNECTIONS): that many kept, the rest resumed`,
      ],
    };
    for (const want of wanted) {
      const [base = "", settingsName] = want.split("@");
      const known = labels[base];
      if (!known) continue;
      const settings = settingsName ? SETTINGS[settingsName] : {};
      if (!settings) {
        record("memory", `[${want}] run`, `unknown settings "${settingsName}"`);
        continue;
      }
      const mode = `${known[0]}${settingsName ? `@${settingsName}` : ""}`;
      const label = `${known[1]}; ${settingsName ? `@${settingsName}: ` : ""}${settingsText(settings)}`;
      const load0 = os.loadavg()[0] ?? 0;
      const r = runMode(dataDir, known[0], SWEEPS, settings);
      const load1 = os.loadavg()[0] ?? 0;
      if (!r) continue;
      // The mean, not the median: the sweep that re-checks every certificate is part of the cost.
      const cpu = r.cpuS.reduce((a, b) => a + b, 0) / Math.max(1, r.cpuS.length);
      record("memory", `[${label}] collector RSS (${imported} clusters)`, mb(r.rss), "MB");
      record(
        "memory",
        `[${mode}] RSS per cluster (above the process at rest)`,
        (r.rss - r.rssBefore) / imported / 1024,
        "KB",
      );
      record(
        "memory",
        `[${mode}] heap used / committed / external (the rest of RSS is native: TLS)`,
        `${mb(r.heapUsed).toFixed(0)} / ${mb(r.heapTotal).toFixed(0)} / ${mb(r.external).toFixed(0)} MB`,
      );
      record(
        "memory",
        `[${mode}] native: RSS anonymous minus V8 committed / file-backed`,
        `${mb(r.rssAnon - r.heapTotal).toFixed(0)} / ${mb(r.rssFile).toFixed(0)} MB`,
      );
      record("memory", `[${mode}] CPU per sweep (mean of ${SWEEPS} at the 15 s cadence)`, cpu, "s");
      record("memory", `[${mode}] cores at the ${INTERVAL_S} s interval`, cpu / INTERVAL_S);
      record("memory", `[${mode}] sweep wall time (median)`, percentile(r.wallS, 50), "s");
      record("memory", `[${mode}] sockets open between sweeps / failed polls`, `${r.sockets} / ${r.failed}`);
      record(
        "memory",
        `[${mode}] TLS handshakes in ${SWEEPS + 2} sweeps: full / resumed`,
        `${r.handshakes.full} / ${r.handshakes.resumed}`,
      );
      record(
        "memory",
        `[${mode}] load average (1 min) before / after the run`,
        `${load0.toFixed(1)} / ${load1.toFixed(1)}`,
      );
    }
  });
}

export const memorySection: BenchSection = {
  name: "memory",
  summary:
    "collector RSS per cluster and CPU per sweep at 10,000 clusters, kept-alive vs per-poll vs capped connections",
  run: benchMemory,
};
