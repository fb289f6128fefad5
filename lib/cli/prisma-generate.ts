// Generates the Prisma clients: one per database provider, from the ONE
// prisma/schema.prisma (Prisma 7 bakes the provider into a generated client).
// lib/generated/prisma (SQLite, whose types the code uses) and
// lib/generated/prisma-pg (PostgreSQL, chosen at run time by lib/db/client.ts).
//
// `prisma generate` needs no schema engine, but the CLI insists one exists and
// would try to download it (impossible offline). Point it at any existing file.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SCHEMA = path.join(ROOT, "prisma", "schema.prisma");
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: "1" };

/** The PostgreSQL variant of the schema: same models, other provider and output. */
export function postgresVariant(schema: string, output: string): string {
  const provider = /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/;
  const out = /(generator\s+client\s*\{[^}]*output\s*=\s*)"[^"]*"/;
  if (!provider.test(schema) || !out.test(schema)) {
    throw new Error(
      "prisma/schema.prisma: expected a sqlite datasource `db` and a generator `client` with an output",
    );
  }
  return schema.replace(provider, '$1"postgresql"').replace(out, `$1${JSON.stringify(output)}`);
}

function generate(schemaPath: string): void {
  const result = spawnSync("npx", ["prisma", "generate", "--schema", schemaPath], {
    stdio: "inherit",
    env,
    cwd: ROOT,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generate(SCHEMA);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "outpost-prisma-pg-"));
  try {
    const variant = path.join(dir, "schema.prisma");
    fs.writeFileSync(
      variant,
      postgresVariant(fs.readFileSync(SCHEMA, "utf8"), path.join(ROOT, "lib", "generated", "prisma-pg")),
    );
    generate(variant);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
