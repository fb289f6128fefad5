// Contact-history growth at fleet scale with 10 % of the sites flapping:
// `tsx bench/programs/contact-growth.ts <dataDir> <measureSweeps> <fleetDir...>`
// (the fleet imported into dataDir, its simulators running). Adds a flapping
// fault to every tenth site, lets the collector find the runs, then measures
// over `measureSweeps` sweeps the contact rows written now (a run is one row)
// against the rows the way before (one per up/down change), and the bytes each
// row costs in SQLite (table + indexes, from dbstat). Prints `RESULT {json}`.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Collector } from "@/lib/collector/collector";
import { db } from "@/lib/db/client";

/** The link: down half of every 20 s, polled every 15 s. */
const FLAP_PERIOD_S = 20;
const INTERVAL_S = 15;
const WARMUP_SWEEPS = 12;

async function addFault(controlUrl: string, body: unknown): Promise<void> {
  const res = await fetch(`${controlUrl}/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`fault not added: ${res.status} ${await res.text()}`);
}

async function main(): Promise<void> {
  const [dataDir, sweepsArg = "24", ...fleetDirs] = process.argv.slice(2);
  if (!dataDir || fleetDirs.length === 0) {
    console.error("usage: contact-growth.ts <dataDir> <measureSweeps> <fleetDir...>");
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
  const steady = await collector.sweepOnce();
  // Sweeps run back to back, faster than the 15 s interval: scale the flap period so each
  // flapping site sees as many polls per up/down cycle as at 15 s (the simulator flips every 250 ms).
  const periodMs = Math.max(1_000, Math.round((FLAP_PERIOD_S / INTERVAL_S) * steady.ms));
  let flapping = 0;
  let sites = 0;
  for (const dir of fleetDirs) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as {
      controlUrl: string;
      sites: { slug: string }[];
    };
    for (const [i, site] of manifest.sites.entries()) {
      sites++;
      if (i % 10 !== 0) continue;
      flapping++;
      await addFault(manifest.controlUrl, {
        type: "flapping",
        site: site.slug,
        params: { periodMs, upFraction: 0.5 },
      });
    }
  }
  for (let i = 0; i < WARMUP_SWEEPS; i++) await collector.sweepOnce();
  const sweeps = Number(sweepsArg);
  const rowsBefore = await db().contactEvent.count();
  const transitionsBefore = collector.stats().transitions;
  const started = performance.now();
  for (let i = 0; i < sweeps; i++) await collector.sweepOnce();
  const sweepS = (performance.now() - started) / 1000 / sweeps;
  const rowsNow = (await db().contactEvent.count()) - rowsBefore;
  const rowsBefore_ = collector.stats().transitions - transitionsBefore;
  const runs = await db().contactEvent.count({ where: { kind: "intermittent" } });
  await collector.stop();
  const file = path.join(dataDir, "outpost.db");
  const sqlite = new Database(file, { readonly: true });
  const bytes = sqlite
    .prepare(`SELECT name, SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'ContactEvent%' GROUP BY name`)
    .all() as { name: string; bytes: number }[];
  const statusBytes = sqlite
    .prepare(`SELECT SUM(pgsize) AS bytes FROM dbstat WHERE name LIKE 'ClusterStatus%'`)
    .get() as { bytes: number };
  const rows = (sqlite.prepare(`SELECT COUNT(*) AS n FROM "ContactEvent"`).get() as { n: number }).n;
  sqlite.close();
  const contactBytes = bytes.reduce((n, b) => n + b.bytes, 0);
  console.log(
    `RESULT ${JSON.stringify({
      clusters: collector.stats().clusters,
      sites,
      flapping,
      sweeps,
      sweepS,
      periodMs,
      rowsNow,
      rowsBefore: rowsBefore_,
      runs,
      bytesPerRow: rows > 0 ? contactBytes / rows : 0,
      statusBytes: statusBytes.bytes,
    })}`,
  );
  process.exit(0);
}

void main();
