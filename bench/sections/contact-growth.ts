// Issue 8: database growth per day at 10,000 clusters with 10 % of the sites
// flapping, contact history the way before (a row per up/down change) and now
// (a flap run is one row), and what 30 days of retention bound it to.
// Measured at BENCH_GROWTH_CLUSTERS (1,000 by default: a 10,000-cluster fleet
// sweeps too slowly for whole flap episodes in a bench) and scaled linearly to
// 10,000 — every row is one flapping cluster's, so rows grow with their count;
// the arithmetic is printed beside the numbers.
import { spawnSync } from "node:child_process";
import { type BenchSection, freshDataDir, importDirs, record, splitAcrossProcesses, withFleet } from "../kit";

const CLUSTERS = Number(process.env.BENCH_GROWTH_CLUSTERS ?? 1_000);
const TARGET_CLUSTERS = 10_000;
const PER_PROCESS = 2_000;
const CYCLES = Number(process.env.BENCH_GROWTH_CYCLES ?? 2);
const INTERVAL_S = 15;
const SWEEPS_PER_DAY = 86_400 / INTERVAL_S;
const RETENTION_DAYS = 30;

interface RunState {
  open: number;
  intermittent: number;
}

interface Result {
  clusters: number;
  flapping: number;
  cycles: number;
  flapSweeps: number;
  quietSweeps: number;
  sweeps: number;
  sweepS: number;
  rowsNow: number;
  rowsBefore: number;
  transitionsFlapping: number;
  rowsWhileOpen: number;
  sweepsWhileOpen: number;
  runs: number;
  seen: RunState[];
  after: RunState[];
  auditRows: number;
  bytesPerRow: number;
  statusBytes: number;
}

const n = (x: number) => Math.round(x).toLocaleString("en");

async function benchGrowth(): Promise<void> {
  process.stdout.write(
    `\n▶ growth: contact history at ${CLUSTERS} clusters (scaled to ${TARGET_CLUSTERS}), 10 % of the sites flapping\n`,
  );
  const dataDir = await freshDataDir(`outpost-bench-growth-${CLUSTERS}-`);
  const per = splitAcrossProcesses(CLUSTERS, PER_PROCESS);
  await withFleet(dataDir, per, async (dirs) => {
    await importDirs(dirs);
    const r = spawnSync(
      "node_modules/.bin/tsx",
      ["--conditions=react-server", "bench/programs/contact-growth.ts", dataDir, String(CYCLES), ...dirs],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: process.env },
    );
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) {
      record("growth", "run", `failed (exit ${r.status})`);
      return;
    }
    const g = JSON.parse(line.slice("RESULT ".length)) as Result;
    const scale = TARGET_CLUSTERS / g.clusters;
    const times = `× ${Number(scale.toFixed(2))}`;
    const cycleS = (g.flapSweeps + g.quietSweeps) * INTERVAL_S;
    const cyclesPerDay = 86_400 / cycleS;
    const mb = (rows: number) => (rows * g.bytesPerRow) / 2 ** 20;
    const episode = `every ${cycleS / 60} min: ${(g.flapSweeps * INTERVAL_S) / 60} min flapping (down half of every 20 s), ${(g.quietSweeps * INTERVAL_S) / 60} min steady`;
    record(
      "growth",
      "measured",
      `${g.clusters} clusters, ${g.flapping} flapping; ${g.cycles} episodes of ${g.flapSweeps}+${g.quietSweeps} polls (${g.sweeps} sweeps of ${g.sweepS.toFixed(1)} s)`,
    );
    const minSeen = Math.min(...g.seen.map((s) => s.intermittent));
    const maxOpenAfter = Math.max(...g.after.map((s) => s.open));
    record(
      "growth",
      "flapping clusters seen as intermittent at each episode's end (min)",
      `${minSeen} of ${g.flapping}`,
    );
    record("growth", "runs still open after the steady part (max) / run rows", `${maxOpenAfter} / ${g.runs}`);
    record("growth", "[before: a row per up/down change] rows per episode", g.rowsBefore / g.cycles);
    record("growth", "[now: a flap run is one row] rows per episode", g.rowsNow / g.cycles);
    const beforeDay = (g.rowsBefore / g.cycles) * cyclesPerDay * scale;
    const nowDay = (g.rowsNow / g.cycles) * cyclesPerDay * scale;
    record(
      "growth",
      `scenario A: ${TARGET_CLUSTERS} clusters, 10 % flapping ${episode}`,
      `rows/episode × ${n(cyclesPerDay)} episodes/day ${times}`,
    );
    record("growth", "[A before] contact rows per day", n(beforeDay));
    record("growth", "[A now] contact rows per day", n(nowDay));
    record("growth", "[A before] database growth per day", mb(beforeDay), "MB");
    record("growth", "[A now] database growth per day", mb(nowDay), "MB");
    record(
      "growth",
      `[A now] contact history at ${RETENTION_DAYS}-day retention`,
      mb(nowDay) * RETENTION_DAYS,
      "MB",
    );
    // A link that flaps all day: the way before writes a row per change; now the run stays
    // open (its row rewritten in place) and costs its one row for the day.
    const flapSweeps = g.cycles * g.flapSweeps;
    const beforeAllDay = (g.transitionsFlapping / flapSweeps) * SWEEPS_PER_DAY * scale;
    const nowAllDay = ((g.rowsWhileOpen / g.sweepsWhileOpen) * SWEEPS_PER_DAY + g.flapping) * scale;
    record(
      "growth",
      `scenario B: ${TARGET_CLUSTERS} clusters, 10 % flapping all day`,
      `rows per flapping poll × ${n(SWEEPS_PER_DAY)} polls/day (+1 run row per flapping cluster now) ${times}`,
    );
    record(
      "growth",
      "[now] rows written while the runs were open (measured)",
      `${g.rowsWhileOpen} in ${g.sweepsWhileOpen} sweeps`,
    );
    record("growth", "[B before] contact rows per day", n(beforeAllDay));
    record("growth", "[B now] contact rows per day", n(nowAllDay));
    record("growth", "[B before] database growth per day", mb(beforeAllDay), "MB");
    record("growth", "[B now] database growth per day", mb(nowAllDay), "MB");
    record("growth", "bytes per contact row in SQLite (table + indexes)", Math.round(g.bytesPerRow), "B");
    record("growth", "audit rows written by the collector (measured)", g.auditRows);
    record(
      "growth",
      `cluster status: one row per cluster rewritten in place (${TARGET_CLUSTERS} clusters)`,
      `${((g.statusBytes * scale) / 2 ** 20).toFixed(1)} MB, no growth`,
    );
  });
}

export const growthSection: BenchSection = {
  name: "growth",
  summary:
    "contact-history rows and database growth per day at 10,000 clusters with 10 % flapping, before vs now",
  run: benchGrowth,
};
