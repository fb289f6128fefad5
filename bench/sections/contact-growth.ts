// Issue 8: database growth per day at 10,000 clusters with 10 % of the sites
// flapping, contact history the way before (a row per up/down change) and now
// (a flap run is one row), and what 30 days of retention bound it to.
// BENCH_GROWTH_CLUSTERS changes the fleet size.
import { spawnSync } from "node:child_process";
import { type BenchSection, freshDataDir, importDirs, record, splitAcrossProcesses, withFleet } from "../kit";

const CLUSTERS = Number(process.env.BENCH_GROWTH_CLUSTERS ?? 10_000);
const PER_PROCESS = 2_000;
const MEASURE_SWEEPS = 24;
const SWEEPS_PER_DAY = 86_400 / 15;
const RETENTION_DAYS = 30;

interface Result {
  clusters: number;
  flapping: number;
  sweeps: number;
  sweepS: number;
  rowsNow: number;
  rowsBefore: number;
  runs: number;
  bytesPerRow: number;
  statusBytes: number;
}

async function benchGrowth(): Promise<void> {
  process.stdout.write(`\n▶ growth: contact history at ${CLUSTERS} clusters, 10 % of the sites flapping\n`);
  const dataDir = await freshDataDir(`outpost-bench-growth-${CLUSTERS}-`);
  const per = splitAcrossProcesses(CLUSTERS, PER_PROCESS);
  await withFleet(dataDir, per, async (dirs) => {
    const imported = await importDirs(dirs);
    const r = spawnSync(
      "node_modules/.bin/tsx",
      [
        "--conditions=react-server",
        "bench/programs/contact-growth.ts",
        dataDir,
        String(MEASURE_SWEEPS),
        ...dirs,
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: process.env },
    );
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (!line) {
      record("growth", "run", `failed (exit ${r.status})`);
      return;
    }
    const g = JSON.parse(line.slice("RESULT ".length)) as Result;
    const perDay = (rows: number) => (rows / g.sweeps) * SWEEPS_PER_DAY;
    const mbPerDay = (rows: number) => (perDay(rows) * g.bytesPerRow) / 2 ** 20;
    const label = `${imported} clusters, ${g.flapping} sites flapping`;
    record(
      "growth",
      `[before: a row per up/down change] contact rows per day (${label})`,
      Math.round(perDay(g.rowsBefore)).toLocaleString("en"),
    );
    record(
      "growth",
      "[now: a flap run is one row] contact rows per day",
      Math.round(perDay(g.rowsNow)).toLocaleString("en"),
    );
    record("growth", "bytes per contact row in SQLite (table + indexes)", Math.round(g.bytesPerRow), "B");
    record("growth", "[before] database growth per day", mbPerDay(g.rowsBefore), "MB");
    record("growth", "[now] database growth per day", mbPerDay(g.rowsNow), "MB");
    record(
      "growth",
      `[now] contact history bounded by ${RETENTION_DAYS}-day retention`,
      mbPerDay(g.rowsNow) * RETENTION_DAYS,
      "MB",
    );
    record(
      "growth",
      "cluster status rows (one per cluster, rewritten in place)",
      g.statusBytes / 2 ** 20,
      "MB",
    );
    record(
      "growth",
      "intermittent runs open at the end / sweep time",
      `${g.runs} / ${g.sweepS.toFixed(1)} s`,
    );
  });
}

export const growthSection: BenchSection = {
  name: "growth",
  summary:
    "contact-history rows and database growth per day at 10,000 clusters with 10 % flapping, before vs now",
  run: benchGrowth,
};
