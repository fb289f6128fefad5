// Debian packages Outpost's demo and tests need on a fresh machine. Installed
// with apt when missing (root only); never downloaded any other way.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

/** Debian installs the server under /usr/lib/postgresql/<major>/bin, off the PATH. */
function hasPostgresServer(): boolean {
  const root = "/usr/lib/postgresql";
  return fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(`${root}/${v}/bin/pg_ctl`));
}

const PACKAGES = {
  chromium: {
    isPresent: () => fs.existsSync("/usr/bin/chromium"),
    why: "browser tests (Playwright drives Debian's Chromium)",
  },
  influxdb: {
    isPresent: () => fs.existsSync("/usr/bin/influxd"),
    why: "telemetry store for the demo and the integration tests",
  },
  postgresql: {
    isPresent: hasPostgresServer,
    why: "the second database every database test runs on (throw-away clusters)",
  },
  openssl: {
    isPresent: () => fs.existsSync("/usr/bin/openssl"),
    why: "the documented curl/openssl embed-signing example is run by its test",
  },
} as const;

export type SystemPackage = keyof typeof PACKAGES;

export function ensureSystemPackages(names: SystemPackage[]): void {
  const missing = names.filter((n) => !PACKAGES[n].isPresent());
  if (missing.length === 0) return;
  const list = missing.map((n) => `${n} (${PACKAGES[n].why})`).join(", ");
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing ${list}. Install with: sudo apt-get install -y ${missing.join(" ")}`);
  }
  process.stdout.write(`Installing ${list} with apt…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
    stdio: "inherit",
    env,
  });
  if (result.status !== 0) throw new Error(`apt-get install ${missing.join(" ")} failed`);
  // Debian's influxdb package starts a system service on :8086; Outpost runs its own instances.
  if (missing.includes("influxdb")) spawnSync("sh", ["-c", "service influxdb stop >/dev/null 2>&1 || true"]);
  // Likewise its postgresql package creates and starts a cluster on :5432; the tests start their own.
  if (missing.includes("postgresql"))
    spawnSync("sh", ["-c", "service postgresql stop >/dev/null 2>&1 || true"]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureSystemPackages(process.argv.slice(2).filter((a): a is SystemPackage => a in PACKAGES));
}
