import "server-only";
import type { Tx } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/dialect";
import { Prisma, type TelemetryNodeLatest } from "@/lib/generated/prisma/client";
import { type NodeLatest, nodeKey } from "./types";

// How the tick's host rows reach "TelemetryNodeLatest": each chunk of rows is
// ONE JSON text parameter that the statement expands in SQL. Prisma's cost is
// per bound parameter (query interpreter, driver adapter): a multi-row VALUES
// statement binds 24 per row, 240,000 for 10,000 hosts; this binds 5.
//
// The JSON carries each value already in the form Prisma itself would store,
// so rows written here read back (and compare in SQL) exactly like rows Prisma
// writes; row-json.test.ts checks that column by column on both databases.

/** How a column is stored; every column of the model is listed, so a new one fails to compile until it is. */
export type ColumnKind = "text" | "float" | "datetime";

export const COLUMN_KINDS = {
  id: "text",
  sourceId: "text",
  siteTag: "text",
  clusterTag: "text",
  host: "text",
  siteId: "text",
  clusterId: "text",
  tempC: "float",
  tempAt: "datetime",
  windowMaxC: "float",
  windowMaxAt: "datetime",
  windowFrom: "datetime",
  windowTo: "datetime",
  lastPointAt: "datetime",
  pingAt: "datetime",
  lossPct: "float",
  rttMs: "float",
  keyValue: "float",
  keyAt: "datetime",
  skewMs: "float",
  skewSeenAt: "datetime",
  probeNewestAt: "datetime",
  probeAt: "datetime",
  tickAt: "datetime",
} as const satisfies Record<keyof TelemetryNodeLatest, ColumnKind>;

export type Column = keyof typeof COLUMN_KINDS;
export const COLUMNS = Object.keys(COLUMN_KINDS) as Column[];

/** The row id: the source and the host's identity (nodeKey). */
export function rowId(sourceId: string, key: string): string {
  return `${sourceId}\u001f${key}`;
}

/** Writes host rows inside the tick's transaction; each returns the rows it touched. */
export interface RowWriter {
  /** plain INSERT: the caller removed the source's rows first */
  insert(tx: Tx, nodes: readonly NodeLatest[]): Promise<number>;
  /** INSERT … ON CONFLICT ("id") DO UPDATE every column */
  upsert(tx: Tx, nodes: readonly NodeLatest[]): Promise<number>;
  remove(tx: Tx, ids: readonly string[]): Promise<number>;
}

/**
 * Rows per statement. No parameter limit binds any more; this keeps one
 * statement's JSON (≈ 0.5 KB a row) and its working memory bounded.
 */
export const JSON_CHUNK = 2_000;

export const COLUMN_LIST = Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(", "));
// Same spelling on SQLite and PostgreSQL: `excluded` is the row the INSERT proposed.
export const UPDATE_ALL = Prisma.raw(
  COLUMNS.filter((c) => c !== "id")
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", "),
);

/** A NodeLatest field by column (`id` is derived). */
function columnValue(n: NodeLatest, c: Column): string | number | null {
  return c === "id" ? rowId(n.sourceId, nodeKey(n)) : n[c];
}

// SQLite: Prisma's better-sqlite3 adapter stores a DateTime as ISO 8601 text
// with "+00:00" for Z (its default timestampFormat "iso8601"); text compares are
// how SQL filters on those columns work, so the spelling must be the same.
const sqliteTime = (t: number) => new Date(t).toISOString().replace("Z", "+00:00");
// PostgreSQL: TIMESTAMP(3) without time zone holding UTC, as adapter-pg writes it.
const pgTime = (t: number) => new Date(t).toISOString().slice(0, -1);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * A bound string reaches PostgreSQL as UTF-8, where Node writes U+FFFD for a
 * lone surrogate; in JSON it would be a "\ud800" escape that PostgreSQL refuses.
 * (better-sqlite3 stores the same bytes either way, nothing to do there.)
 */
const pgText = (s: string) => s.replace(LONE_SURROGATE, "\ufffd");

/** Numbers JSON cannot carry; reduce.ts keeps only finite readings, this stops a regression from becoming null. */
function finite(v: number, c: Column): number {
  if (!Number.isFinite(v)) throw new Error(`telemetry row: ${c} is ${v}, not a finite number`);
  return v;
}

type Encode = (v: string | number | null, c: Column) => string | number | null;

function encoder(time: (t: number) => string, text: (s: string) => string): Encode {
  return (v, c) => {
    if (v === null) return null;
    const kind: ColumnKind = COLUMN_KINDS[c];
    if (kind === "datetime") return time(v as number);
    if (kind === "float") return finite(v as number, c);
    return text(v as string);
  };
}

const encodeSqlite = encoder(sqliteTime, (s) => s);
const encodePg = encoder(pgTime, pgText);

// SQLite: rows as arrays ([v0, v1, …]), read by position; measured at 10,000
// rows with the driver alone: 170 ms vs 290 ms for objects (smaller text, no keys).
// `WHERE true`: SQLite's rule for INSERT … SELECT with an upsert clause (harmless without one).
const SQLITE_SELECT = Prisma.raw(COLUMNS.map((_, i) => `value ->> ${i}`).join(", "));

// PostgreSQL: rows as objects, expanded with the table's own row type, so every
// column gets exactly its declared type; measured at 10,000 rows: 130 ms vs 160 ms
// for json_to_recordset with a column list and 210 ms for jsonb arrays read by position
// (driver alone, no Prisma).

function sqliteJson(nodes: readonly NodeLatest[]): string {
  return JSON.stringify(nodes.map((n) => COLUMNS.map((c) => encodeSqlite(columnValue(n, c), c))));
}

function pgJson(nodes: readonly NodeLatest[]): string {
  return JSON.stringify(
    nodes.map((n) => {
      const o: Record<string, string | number | null> = {};
      for (const c of COLUMNS) o[c] = encodePg(columnValue(n, c), c);
      return o;
    }),
  );
}

/** Runs `write` over `items` in parts of `size`, one after another; the rows touched, summed. */
export async function chunked<T>(
  items: readonly T[],
  size: number,
  write: (part: readonly T[]) => Promise<number>,
): Promise<number> {
  let n = 0;
  for (let i = 0; i < items.length; i += size) n += await write(items.slice(i, i + size));
  return n;
}

/** Where each database reads a chunk from: its rows as a SELECT, its ids as a one-column SELECT. */
interface JsonSource {
  rows(nodes: readonly NodeLatest[]): Prisma.Sql;
  ids(ids: readonly string[]): Prisma.Sql;
}

const PG_SOURCE: JsonSource = {
  rows: (nodes) =>
    Prisma.sql`SELECT ${COLUMN_LIST} FROM json_populate_recordset(NULL::"TelemetryNodeLatest", ${pgJson(nodes)}::json)`,
  ids: (ids) => Prisma.sql`SELECT json_array_elements_text(${JSON.stringify(ids.map(pgText))}::json)`,
};

const SQLITE_SOURCE: JsonSource = {
  rows: (nodes) => Prisma.sql`SELECT ${SQLITE_SELECT} FROM json_each(${sqliteJson(nodes)}) WHERE true`,
  ids: (ids) => Prisma.sql`SELECT value FROM json_each(${JSON.stringify(ids)})`,
};

/** The JSON writer for the given database; `chunk` rows per statement. */
export function jsonRowWriter(dialect: Dialect, chunk = JSON_CHUNK): RowWriter {
  const from = dialect === "postgresql" ? PG_SOURCE : SQLITE_SOURCE;
  return {
    insert: (tx, nodes) =>
      chunked(
        nodes,
        chunk,
        (part) => tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${COLUMN_LIST}) ${from.rows(part)}`,
      ),
    upsert: (tx, nodes) =>
      chunked(
        nodes,
        chunk,
        (part) =>
          tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${COLUMN_LIST}) ${from.rows(part)} ON CONFLICT ("id") DO UPDATE SET ${UPDATE_ALL}`,
      ),
    remove: (tx, ids) =>
      chunked(
        ids,
        chunk,
        (part) => tx.$executeRaw`DELETE FROM "TelemetryNodeLatest" WHERE "id" IN (${from.ids(part)})`,
      ),
  };
}
