// The tick's host-row writer as it was before the JSON writer
// (lib/telemetry/tick/row-json.ts): multi-row INSERT … VALUES statements with
// every value a bound parameter, 500 rows (12,000 parameters) per statement,
// deletes by `id IN (…)` of 1,000. Kept only so the tick bench can show both
// ways in one run; the product never imports it.
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { COLUMN_LIST, COLUMNS, chunked, type RowWriter, UPDATE_ALL } from "@/lib/telemetry/tick/row-json";
import { toRow } from "@/lib/telemetry/tick/store";
import type { NodeLatest } from "@/lib/telemetry/tick/types";

/** 24 columns × 500 = 12,000 parameters, below SQLite's 32,766 and PostgreSQL's 65,535. */
const VALUES_CHUNK = 500;
const DELETE_CHUNK = 1_000;

function valuesOf(nodes: readonly NodeLatest[]): Prisma.Sql {
  return Prisma.join(
    nodes.map((n) => {
      const r = toRow(n);
      return Prisma.sql`(${Prisma.join(COLUMNS.map((c) => r[c]))})`;
    }),
  );
}

export const valuesRowWriter: RowWriter = {
  insert: (tx: Tx, nodes) =>
    chunked(
      nodes,
      VALUES_CHUNK,
      (part) => tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${COLUMN_LIST}) VALUES ${valuesOf(part)}`,
    ),
  upsert: (tx: Tx, nodes) =>
    chunked(
      nodes,
      VALUES_CHUNK,
      (part) =>
        tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${COLUMN_LIST}) VALUES ${valuesOf(part)} ON CONFLICT ("id") DO UPDATE SET ${UPDATE_ALL}`,
    ),
  remove: (tx: Tx, ids) =>
    chunked(
      ids,
      DELETE_CHUNK,
      async (part) => (await tx.telemetryNodeLatest.deleteMany({ where: { id: { in: [...part] } } })).count,
    ),
};
