import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";

const ROOT = import.meta.dirname;
const INCLUDE = ["{app,components,lib}/**/*.test.{ts,tsx}"];

/** First line of a test file about SQLite itself: it stays out of the PostgreSQL pass. */
const SQLITE_ONLY = "// database: sqlite only";

/** Test beds that give a test file its own database (lib/testing/temp-data-dir.ts, imported-fleet.ts). */
const DATABASE_HELPERS = ["useTempDataDir(", "startImportedFleet("];

/**
 * Test files that touch the database the way Outpost does (through
 * useTempDataDir or a test bed built on it): these run a second time against PostgreSQL. A new test
 * using the helper joins that second pass without anyone listing it.
 */
function databaseTests(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.test\.tsx?$/.test(entry.name)) {
        const text = fs.readFileSync(full, "utf8");
        if (DATABASE_HELPERS.some((h) => text.includes(h)) && !text.startsWith(SQLITE_ONLY))
          files.push(path.relative(ROOT, full));
      }
    }
  };
  for (const top of ["app", "components", "lib"])
    if (fs.existsSync(path.join(ROOT, top))) walk(path.join(ROOT, top));
  return files.sort();
}

/** OUTPOST_TEST_POSTGRES=0 skips the PostgreSQL pass (quick local runs); `npm test` always runs it. */
const withPostgres = process.env.OUTPOST_TEST_POSTGRES !== "0";

// Cheap password hashes for the many test sign-ins (vitest only); lib/auth/auth.test.ts checks the real cost.
const TEST_ENV = { OUTPOST_TEST_SCRYPT_N: "1024" };

export default defineConfig({
  resolve: {
    alias: {
      "@": ROOT,
      // "server-only" throws outside a React server bundle; tests run server code directly.
      "server-only": path.resolve(ROOT, "lib/testing/server-only-noop.ts"),
    },
  },
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: TEST_ENV,
    projects: [
      { extends: true, test: { name: "sqlite", include: INCLUDE } },
      ...(withPostgres
        ? [
            {
              extends: true as const,
              test: {
                name: "postgresql",
                include: databaseTests(),
                env: { ...TEST_ENV, OUTPOST_TEST_DATABASE: "postgresql" },
                globalSetup: ["lib/testing/postgres-global-setup.ts"],
              },
            },
          ]
        : []),
    ],
  },
});
