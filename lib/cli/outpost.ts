// Outpost admin CLI. Talks to the database directly (same service code as the
// API), so it works before the server is up; run it from the project root.
import { parseArgs } from "node:util";
import { env } from "@/lib/env";
import { importFleet, summarize } from "@/lib/fleet/import";
import { readFleetDirectory } from "@/lib/fleet/import-dir";
import { DEPLOY_USAGE, deployCommand, processIo } from "./deploy-command";
import { migrateToPostgres } from "./migrate-to-postgres";

const USAGE = `Usage:
  npm run outpost -- import <dir> [--test] [--json]
      Registers every <dir>/<site>/<cluster>.yaml (and site details from <dir>/manifest.json).
      Safe to re-run: clusters are matched by server URL + name.
      --test   call /version on each cluster while importing
      --json   print one JSON result per line
  npm run outpost -- migrate-to-postgres <postgresql://user:pass@host:5432/db> [--from file:…] [--force]
      Copies every row of this installation's SQLite database (or --from) into an
      empty PostgreSQL database, creating its schema. Stop Outpost first.
      --force  copy even though an Outpost process still seems to run
${DEPLOY_USAGE}`;

async function main(argv: string[]): Promise<number> {
  // deploy has its own flags (an HTTP client of the API), so it parses its own arguments.
  if (argv[0] === "deploy" && !argv.includes("--help")) return deployCommand(argv.slice(1), processIo());
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      test: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      from: { type: "string" },
      force: { type: "boolean", default: false },
      help: { type: "boolean" },
    },
  });
  const [command, dir] = positionals;
  if (command === "migrate-to-postgres" && dir && !values.help) {
    return migrateToPostgres({ from: values.from ?? env().databaseUrl, to: dir, force: values.force });
  }
  if (values.help || command !== "import" || !dir) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const { items, problems } = readFleetDirectory(dir);
  for (const p of problems) process.stderr.write(`skip ${p.file}: ${p.message}\n`);
  if (items.length === 0) {
    process.stderr.write(`no kubeconfigs found under ${dir} (expected <site>/<cluster>.yaml)\n`);
    return 1;
  }
  const started = Date.now();
  const results = await importFleet(items, { testConnections: values.test });
  for (const r of results) {
    if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else if (r.status !== "unchanged" || results.length <= 50) {
      process.stdout.write(`${r.status.padEnd(9)} ${r.site}/${r.cluster}: ${r.message}\n`);
    }
  }
  const s = summarize(results);
  process.stdout.write(
    `${results.length} clusters in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.error} failed\n`,
  );
  return s.error > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
