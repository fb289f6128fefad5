import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { parseSchema, type SchemaModel } from "./schema-model";

// Copies every row of every model from one Outpost database into another, empty
// one (SQLite → PostgreSQL): parents before children, in primary-key order, in
// batches, through the Prisma clients so each value is converted by the same
// code that reads and writes it in production. Secrets are copied as the
// ciphertexts they are: the target installation needs the same secret key.

export const SCHEMA_FILE = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", "schema.prisma");

export interface CopyReport {
  tables: { model: string; rows: number }[];
  ms: number;
}

/** Models ordered so every foreign key points at a model copied earlier. */
export function copyOrder(models: SchemaModel[]): SchemaModel[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const out: SchemaModel[] = [];
  const visit = (m: SchemaModel, stack: Set<string>) => {
    if (done.has(m.name)) return;
    if (stack.has(m.name)) throw new Error(`foreign keys form a cycle through ${m.name}`);
    stack.add(m.name);
    for (const fk of m.foreignKeys) {
      const parent = byName.get(fk.table);
      if (parent && parent.name !== m.name) visit(parent, stack);
    }
    stack.delete(m.name);
    done.add(m.name);
    out.push(m);
  };
  for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) visit(m, new Set());
  return out;
}

type Delegate = {
  count(args?: unknown): Promise<number>;
  findMany(args: unknown): Promise<Record<string, unknown>[]>;
  createMany(args: { data: Record<string, unknown>[] }): Promise<{ count: number }>;
};

function delegate(client: unknown, model: string): Delegate {
  const d = (client as Record<string, Delegate | undefined>)[model.charAt(0).toLowerCase() + model.slice(1)];
  if (!d) throw new Error(`the Prisma client has no model ${model}`);
  return d;
}

function primaryKey(m: SchemaModel): string {
  const ids = m.fields.filter((f) => f.isId);
  if (ids.length !== 1 || !ids[0]) throw new Error(`${m.name}: copying needs a single-column primary key`);
  return ids[0].name;
}

export async function nonEmptyModels(client: unknown, models: SchemaModel[]): Promise<string[]> {
  const counts = await Promise.all(
    models.map(async (m) => [m.name, await delegate(client, m.name).count()] as const),
  );
  return counts.filter(([, n]) => n > 0).map(([name]) => name);
}

export async function copyDatabase(
  source: PrismaClient,
  target: PrismaClient,
  {
    batch = 500,
    schemaText = fs.readFileSync(SCHEMA_FILE, "utf8"),
    onProgress,
  }: { batch?: number; schemaText?: string; onProgress?: (model: string, rows: number) => void } = {},
): Promise<CopyReport> {
  const started = Date.now();
  const models = copyOrder(parseSchema(schemaText));
  const occupied = await nonEmptyModels(target, models);
  if (occupied.length > 0) {
    throw new Error(
      `the target database already has rows in ${occupied.join(", ")}; copy into an empty database only`,
    );
  }
  const tables: CopyReport["tables"] = [];
  // One transaction: the target has all rows or none (a failed copy can simply be retried).
  await target.$transaction(
    async (tx) => {
      for (const m of models) {
        const pk = primaryKey(m);
        const from = delegate(source, m.name);
        const to = delegate(tx, m.name);
        let copied = 0;
        let after: unknown;
        for (;;) {
          const rows = await from.findMany({
            orderBy: { [pk]: "asc" },
            take: batch,
            ...(after === undefined ? {} : { where: { [pk]: { gt: after } } }),
          });
          if (rows.length === 0) break;
          await to.createMany({ data: rows });
          copied += rows.length;
          after = rows.at(-1)?.[pk];
          onProgress?.(m.name, copied);
          if (rows.length < batch) break;
        }
        tables.push({ model: m.name, rows: copied });
      }
    },
    { maxWait: 60_000, timeout: 6 * 3_600_000 },
  );
  return { tables, ms: Date.now() - started };
}
