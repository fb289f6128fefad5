// Contact-history growth at fleet scale with 10 % of the sites flapping:
// `tsx bench/programs/contact-growth.ts <dataDir> <cycles> <fleetDir...>`
// (the fleet imported into dataDir, its simulators running). Each cycle is one
// flapping episode of every tenth site — FLAP_SWEEPS polls of the link
// (down half of every 20 s, polled every 15 s), then QUIET_SWEEPS steady polls,
// so every run both begins and ends inside the measurement.
//
// Sweeps run back to back, far faster than the 15 s interval, so the link is
// driven per sweep rather than by the clock: the simulator's time-based
// "flapping" fault aliases against a sweep time that varies from sweep to sweep
// (a period close to the sweep time looks up or down for good). A 20 s period
// polled every 15 s advances the phase by 3/4 of a period per poll: down, up,
// up, down, again and again — so before each sweep the bench sets or clears an
// "offline" fault on the flapping sites (the simulator refuses their
// connections and drops the kept-alive ones), and the collector's polls fail
// and succeed for real.
//
// Counts the rows written now (net growth of ContactEvent: a run is one row,
// its start folds the up/down rows it began with) against the way before (one
// row per poll whose reachability differs from the poll before), checks that
// the flapping clusters are seen as intermittent, and takes the bytes a row
// costs in SQLite (table + indexes, from dbstat). Prints `RESULT {json}`.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Collector } from "@/lib/collector/collector";
import { db } from "@/lib/db/client";
import { assessLink, decodePolls } from "@/lib/health/link";

/** The link, down half of every 20 s, as 15 s polls see it. */
const FLAP_PATTERN = ["down", "up", "up", "down"] as const;
/** Polls of one episode: 3 min at 15 s, enough for a run to form (it needs 3 failures in 2 drops). */
const FLAP_SWEEPS = 12;
/** Steady polls after it: the failures slide out of the 12-poll window and the run ends. */
const QUIET_SWEEPS = 12;
/** From this poll of an episode on, the runs are open: what a link flapping all day costs per poll. */
const RUN_OPEN_FROM = 6;

interface Manifest {
  controlUrl: string;
  sites: { slug: string }[];
}

async function control(url: string, method: "POST" | "DELETE", body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

/** The flapping sites' links down (their "offline" faults set) or up (cleared: the fleet has no other faults). */
async function setDown(targets: { controlUrl: string; faults: unknown[] }[], isDown: boolean): Promise<void> {
  for (const t of targets) {
    if (isDown) await control(`${t.controlUrl}/faults`, "POST", t.faults);
    else await control(`${t.controlUrl}/faults`, "DELETE");
  }
}

async function contactRows(): Promise<number> {
  return db().contactEvent.count();
}

/** Clusters with an open run, and those the health model reads as intermittent, from the status rows. */
async function runState(): Promise<{ open: number; intermittent: number }> {
  const rows = await db().clusterStatus.findMany({ select: { flapSince: true, recentPolls: true } });
  let open = 0;
  let intermittent = 0;
  for (const r of rows) {
    if (r.flapSince) open++;
    if (assessLink(decodePolls(r.recentPolls)).isIntermittent) intermittent++;
  }
  return { open, intermittent };
}

async function main(): Promise<void> {
  const [dataDir, cyclesArg = "2", ...fleetDirs] = process.argv.slice(2);
  if (!dataDir || fleetDirs.length === 0) {
    console.error("usage: contact-growth.ts <dataDir> <cycles> <fleetDir...>");
    process.exit(2);
  }
  process.env.OUTPOST_DATA_DIR = dataDir;
  process.env.OUTPOST_ALLOW_LOOPBACK = "1";
  process.env.OUTPOST_LOG_LEVEL = "error";
  const collector = new Collector({
    policy: { allowLoopback: true, allowPrivateNetworks: false, schemes: ["https:"] },
    concurrency: 64,
  });
  await collector.reload();
  await collector.sweepOnce(); // first contact: handshakes, the simulators build their clusters
  await collector.sweepOnce();
  const targets: { controlUrl: string; faults: unknown[] }[] = [];
  let sites = 0;
  let flapping = 0;
  for (const dir of fleetDirs) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
    const faults = manifest.sites
      .filter((_, i) => i % 10 === 0)
      .map((s) => ({ type: "offline", site: s.slug }));
    sites += manifest.sites.length;
    flapping += faults.length;
    targets.push({ controlUrl: manifest.controlUrl, faults });
  }

  const cycles = Number(cyclesArg);
  const auditBefore = await db().auditEvent.count();
  const rowsBefore = await contactRows();
  const transitionsBefore = collector.stats().transitions;
  let rowsWhileOpen = 0;
  let sweepsWhileOpen = 0;
  let transitionsFlapping = 0;
  const seen: { open: number; intermittent: number }[] = [];
  const after: { open: number; intermittent: number }[] = [];
  const started = performance.now();
  for (let c = 0; c < cycles; c++) {
    const t0 = collector.stats().transitions;
    let isDown = false;
    for (let i = 0; i < FLAP_SWEEPS; i++) {
      const shouldBeDown = FLAP_PATTERN[i % FLAP_PATTERN.length] === "down";
      if (shouldBeDown !== isDown) await setDown(targets, shouldBeDown);
      isDown = shouldBeDown;
      const rows0 = i >= RUN_OPEN_FROM ? await contactRows() : 0;
      await collector.sweepOnce();
      if (i >= RUN_OPEN_FROM) {
        rowsWhileOpen += (await contactRows()) - rows0;
        sweepsWhileOpen++;
      }
    }
    transitionsFlapping += collector.stats().transitions - t0;
    seen.push(await runState());
    if (isDown) await setDown(targets, false);
    for (let i = 0; i < QUIET_SWEEPS; i++) await collector.sweepOnce();
    after.push(await runState());
  }
  const sweeps = cycles * (FLAP_SWEEPS + QUIET_SWEEPS);
  const sweepS = (performance.now() - started) / 1000 / sweeps;
  const rowsNow = (await contactRows()) - rowsBefore;
  const rowsBeforeWay = collector.stats().transitions - transitionsBefore;
  const runs = await db().contactEvent.count({ where: { kind: "intermittent" } });
  const auditRows = (await db().auditEvent.count()) - auditBefore;
  const clusters = collector.stats().clusters;
  await collector.stop();

  const sqlite = new Database(path.join(dataDir, "outpost.db"), { readonly: true });
  const contactBytes = (
    sqlite
      .prepare(`SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name LIKE '%ContactEvent%'`)
      .get() as { bytes: number }
  ).bytes;
  const statusBytes = (
    sqlite
      .prepare(`SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name LIKE '%ClusterStatus%'`)
      .get() as { bytes: number }
  ).bytes;
  const rows = (sqlite.prepare(`SELECT COUNT(*) AS n FROM "ContactEvent"`).get() as { n: number }).n;
  sqlite.close();
  console.log(
    `RESULT ${JSON.stringify({
      clusters,
      sites,
      flapping,
      cycles,
      flapSweeps: FLAP_SWEEPS,
      quietSweeps: QUIET_SWEEPS,
      sweeps,
      sweepS,
      rowsNow,
      rowsBefore: rowsBeforeWay,
      transitionsFlapping,
      rowsWhileOpen,
      sweepsWhileOpen,
      runs,
      seen,
      after,
      auditRows,
      bytesPerRow: rows > 0 ? contactBytes / rows : 0,
      statusBytes,
    })}`,
  );
  process.exit(0);
}

void main();
