// `prisma generate` needs no schema engine, but the CLI insists one exists and
// would try to download it (impossible offline). Point it at any existing file.
import { spawnSync } from "node:child_process";

const result = spawnSync("npx", ["prisma", "generate"], {
  stdio: "inherit",
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: "1" },
});
process.exit(result.status ?? 1);
