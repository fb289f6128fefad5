import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetDbForTests } from "@/lib/db/client";
import { resetEnvForTests } from "@/lib/env";
import { resetKeysForTests } from "@/lib/secrets/crypto";

/**
 * Points Outpost at a fresh data directory (SQLite file, secret key) for one
 * test file; returns a cleanup. Extra env vars apply until cleanup.
 */
export async function useTempDataDir(
  extraEnv: Record<string, string> = {},
): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-test-"));
  const vars: Record<string, string> = { OUTPOST_DATA_DIR: dir, OUTPOST_LOG_LEVEL: "silent", ...extraEnv };
  const previous = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  resetEnvForTests();
  resetKeysForTests();
  await resetDbForTests();
  return {
    dir,
    cleanup: async () => {
      await resetDbForTests();
      for (const [k, v] of Object.entries(previous)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      resetEnvForTests();
      resetKeysForTests();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
