// `npm test`: every check CI runs, in order, failing fast, with one summary line
// at the end ("N passed, N failed") counted from the runners' JSON reports.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureSystemPackages } from "./system-deps";

const reports = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-test-reports-"));
const vitestReport = path.join(reports, "vitest.json");
const playwrightReport = path.join(reports, "playwright.json");
/** written by the second e2e pass, with the server on PostgreSQL (OUTPOST_E2E_DATABASE=postgresql) */
const playwrightPostgresReport = path.join(reports, "playwright-postgresql.json");

interface Step {
  name: string;
  cmd: string;
  args: string[];
  env?: Record<string, string>;
}

const steps: Step[] = [
  { name: "lockfile", cmd: "npx", args: ["tsx", "lib/cli/lockfile-check.ts"] },
  { name: "lint", cmd: "npx", args: ["biome", "check", "--error-on-warnings", "."] },
  { name: "typecheck", cmd: "npx", args: ["tsc", "--noEmit"] },
  {
    name: "unit + integration (vitest)",
    cmd: "npx",
    args: ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`],
  },
  { name: "build", cmd: "npx", args: ["next", "build"] },
  { name: "client bundle", cmd: "npx", args: ["tsx", "lib/cli/bundle-check.ts"] },
  {
    name: "e2e (playwright)",
    cmd: "npx",
    args: ["playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
  },
  // Issue 12: the whole e2e suite again with the server on a throw-away PostgreSQL (global-setup
  // starts it), including e2e/several-instances.spec.ts, which needs PostgreSQL and skips on SQLite.
  {
    name: "e2e on PostgreSQL (playwright)",
    cmd: "npx",
    args: ["playwright", "test", "--reporter=list,json"],
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightPostgresReport, OUTPOST_E2E_DATABASE: "postgresql" },
  },
];

function counts(): { passed: number; failed: number; skipped: number } {
  const total = { passed: 0, failed: 0, skipped: 0 };
  if (fs.existsSync(vitestReport)) {
    const v = JSON.parse(fs.readFileSync(vitestReport, "utf8")) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
    };
    total.passed += v.numPassedTests;
    total.failed += v.numFailedTests;
    total.skipped += v.numPendingTests + v.numTodoTests;
  }
  for (const report of [playwrightReport, playwrightPostgresReport]) {
    if (!fs.existsSync(report)) continue;
    const p = JSON.parse(fs.readFileSync(report, "utf8")) as {
      stats: { expected: number; unexpected: number; flaky: number; skipped: number };
    };
    total.passed += p.stats.expected + p.stats.flaky;
    total.failed += p.stats.unexpected;
    total.skipped += p.stats.skipped;
  }
  return total;
}

function main(): number {
  ensureSystemPackages(["chromium", "influxdb", "postgresql", "openssl"]);
  const only = process.argv.slice(2);
  for (const step of steps) {
    if (only.length > 0 && !only.some((o) => step.name.startsWith(o))) continue;
    const started = Date.now();
    process.stdout.write(`\n▶ ${step.name}\n`);
    const result = spawnSync(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.status !== 0) {
      const c = counts();
      process.stdout.write(
        `\n✗ ${step.name} failed after ${seconds} s\n${c.passed} passed, ${Math.max(c.failed, 1)} failed\n`,
      );
      return 1;
    }
    process.stdout.write(`✓ ${step.name} (${seconds} s)\n`);
  }
  const c = counts();
  process.stdout.write(`\n${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
  return c.failed > 0 ? 1 : 0;
}

process.exit(main());
