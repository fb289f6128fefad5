// `npm run db:postgres-sql -- [Model …] [--add Model.field …]`: prints the PostgreSQL
// DDL for new models / new columns of prisma/schema.prisma, to paste into
// prisma/migrations-postgresql/<timestamp>_<area>_<what>/migration.sql. Add indexes
// and foreign keys of changed models by hand (the output shows their names).
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { postgresAddColumns, postgresTables } from "@/lib/db/postgres-ddl";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { add: { type: "string", multiple: true, default: [] } },
});
const schema = fs.readFileSync(path.join(process.cwd(), "prisma", "schema.prisma"), "utf8");
const parts = [
  ...(positionals.length > 0 ? [postgresTables(schema, positionals)] : []),
  ...(values.add.length > 0 ? [postgresAddColumns(schema, values.add)] : []),
];
if (parts.length === 0) {
  process.stderr.write("Usage: npm run db:postgres-sql -- [Model …] [--add Model.field …]\n");
  process.exit(2);
}
process.stdout.write(`${parts.join("\n\n")}\n`);
