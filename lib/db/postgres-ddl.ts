// Renders PostgreSQL DDL for models and fields of schema.prisma the way
// Prisma's migrate would (types, constraint and index names), for writing the
// PostgreSQL migration of a schema change (the schema engine that would
// generate it cannot be installed offline). The drift test checks the result.
import { parseSchema, type SchemaField, type SchemaModel } from "./schema-model";

const TYPES: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  Float: "DOUBLE PRECISION",
  Boolean: "BOOLEAN",
  DateTime: "TIMESTAMP(3)",
  BigInt: "BIGINT",
  Decimal: "DECIMAL(65,30)",
};

const q = (name: string) => `"${name}"`;
const cols = (names: string[]) => names.map(q).join(", ");
const onDelete = (rule: string) => rule.replace(/([a-z])([A-Z])/, "$1 $2").toUpperCase();

function column(f: SchemaField): string {
  const type = TYPES[f.type];
  if (!type) throw new Error(`no PostgreSQL type for ${f.type}`);
  return `${q(f.name)} ${type}${f.isOptional ? "" : " NOT NULL"}${f.defaultSql === null ? "" : ` DEFAULT ${f.defaultSql}`}`;
}

function indexes(m: SchemaModel): string[] {
  return [
    ...m.fields
      .filter((f) => f.isUnique)
      .map(
        (f) =>
          `-- CreateIndex\nCREATE UNIQUE INDEX ${q(`${m.name}_${f.name}_key`)} ON ${q(m.name)}(${q(f.name)});`,
      ),
    ...m.uniques.map(
      (u) =>
        `-- CreateIndex\nCREATE UNIQUE INDEX ${q(`${m.name}_${u.join("_")}_key`)} ON ${q(m.name)}(${cols(u)});`,
    ),
    ...m.indexes.map(
      (u) => `-- CreateIndex\nCREATE INDEX ${q(`${m.name}_${u.join("_")}_idx`)} ON ${q(m.name)}(${cols(u)});`,
    ),
  ];
}

function foreignKeys(m: SchemaModel): string[] {
  return m.foreignKeys.map(
    (f) =>
      `-- AddForeignKey\nALTER TABLE ${q(m.name)} ADD CONSTRAINT ${q(`${m.name}_${f.columns.join("_")}_fkey`)} FOREIGN KEY (${cols(f.columns)}) REFERENCES ${q(f.table)}(${cols(f.references)}) ON DELETE ${onDelete(f.onDelete)} ON UPDATE CASCADE;`,
  );
}

function createTable(m: SchemaModel): string {
  const pk = m.fields.filter((f) => f.isId).map((f) => f.name);
  const lines = [
    ...m.fields.map((f) => `    ${column(f)}`),
    `\n    CONSTRAINT ${q(`${m.name}_pkey`)} PRIMARY KEY (${cols(pk)})`,
  ];
  return `-- CreateTable\nCREATE TABLE ${q(m.name)} (\n${lines.join(",\n")}\n);`;
}

/** CREATE TABLE + indexes + foreign keys for whole models (all of them when `names` is empty). */
export function postgresTables(schemaText: string, names: string[] = []): string {
  const models = parseSchema(schemaText).filter((m) => names.length === 0 || names.includes(m.name));
  const missing = names.filter((n) => !models.some((m) => m.name === n));
  if (missing.length > 0) throw new Error(`no such model: ${missing.join(", ")}`);
  return [...models.map(createTable), ...models.flatMap(indexes), ...models.flatMap(foreignKeys)].join(
    "\n\n",
  );
}

/** ALTER TABLE … ADD COLUMN for fields ("Model.field") added to existing models. */
export function postgresAddColumns(schemaText: string, fields: string[]): string {
  const models = parseSchema(schemaText);
  return fields
    .map((spec) => {
      const [model, field] = spec.split(".");
      const f = models.find((m) => m.name === model)?.fields.find((x) => x.name === field);
      if (!model || !f) throw new Error(`no such field: ${spec}`);
      return `-- AlterTable\nALTER TABLE ${q(model)} ADD COLUMN ${column(f)};`;
    })
    .join("\n\n");
}
