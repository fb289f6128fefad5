import "server-only";
import { db, type Tx, transaction } from "@/lib/db/client";
import { Prisma, type TelemetryNodeLatest, type TelemetrySourceStatus } from "@/lib/generated/prisma/client";
import { rowChanges } from "./diff";
import { type NodeLatest, type NodeReading, nodeKey, type SourceTickStatus, type TickMode } from "./types";

// The tick's results in the database: one row per host per data source, and a
// status row per source. The tick service is the only writer; everything else reads.

/** Rows per INSERT: 24 columns × 500 = 12,000 parameters, below SQLite's 32,766 and PostgreSQL's 65,535. */
const WRITE_CHUNK = 500;
/** Ids per DELETE … IN (…). */
const DELETE_CHUNK = 1_000;

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const date = (t: number | null): Date | null => (t === null ? null : new Date(t));

function fromRow(r: TelemetryNodeLatest): NodeLatest {
  return {
    sourceId: r.sourceId,
    siteTag: r.siteTag,
    clusterTag: r.clusterTag,
    host: r.host,
    siteId: r.siteId,
    clusterId: r.clusterId,
    tempC: r.tempC,
    tempAt: ms(r.tempAt),
    windowMaxC: r.windowMaxC,
    windowMaxAt: ms(r.windowMaxAt),
    windowFrom: ms(r.windowFrom),
    windowTo: ms(r.windowTo),
    lastPointAt: ms(r.lastPointAt),
    pingAt: ms(r.pingAt),
    lossPct: r.lossPct,
    rttMs: r.rttMs,
    keyValue: r.keyValue,
    keyAt: ms(r.keyAt),
    skewMs: r.skewMs,
    skewSeenAt: ms(r.skewSeenAt),
    probeNewestAt: ms(r.probeNewestAt),
    probeAt: ms(r.probeAt),
    tickAt: r.tickAt.getTime(),
  };
}

function toRow(n: NodeLatest): TelemetryNodeLatest {
  return {
    id: rowId(n.sourceId, nodeKey(n)),
    sourceId: n.sourceId,
    siteTag: n.siteTag,
    clusterTag: n.clusterTag,
    host: n.host,
    siteId: n.siteId,
    clusterId: n.clusterId,
    tempC: n.tempC,
    tempAt: date(n.tempAt),
    windowMaxC: n.windowMaxC,
    windowMaxAt: date(n.windowMaxAt),
    windowFrom: date(n.windowFrom),
    windowTo: date(n.windowTo),
    lastPointAt: date(n.lastPointAt),
    pingAt: date(n.pingAt),
    lossPct: n.lossPct,
    rttMs: n.rttMs,
    keyValue: n.keyValue,
    keyAt: date(n.keyAt),
    skewMs: n.skewMs,
    skewSeenAt: date(n.skewSeenAt),
    probeNewestAt: date(n.probeNewestAt),
    probeAt: date(n.probeAt),
    tickAt: new Date(n.tickAt),
  };
}

function statusFromRow(r: TelemetrySourceStatus): SourceTickStatus {
  return {
    sourceId: r.sourceId,
    tickSeq: r.tickSeq,
    lastTickAt: ms(r.lastTickAt),
    lastOkAt: ms(r.lastOkAt),
    lastErrorAt: ms(r.lastErrorAt),
    lastErrorReason: r.lastErrorReason,
    lastErrorMessage: r.lastErrorMessage,
    queryMs: r.queryMs,
    hosts: r.hosts,
    windowFrom: ms(r.windowFrom),
    windowTo: ms(r.windowTo),
    lastMode: r.lastMode === "raw" || r.lastMode === "catch-up" ? (r.lastMode as TickMode) : null,
  };
}

export async function loadSourceNodes(sourceId: string): Promise<NodeLatest[]> {
  return (await db().telemetryNodeLatest.findMany({ where: { sourceId }, orderBy: { id: "asc" } })).map(
    fromRow,
  );
}

/** The stored latest of the given sites' hosts (any source; callers pick the site's own). */
export async function loadNodesOfSites(siteIds: readonly string[]): Promise<NodeLatest[]> {
  const out: NodeLatest[] = [];
  // Below SQLite's bound-parameter limit per query; host order is part of the health input, keep it stable.
  for (let i = 0; i < siteIds.length; i += 500) {
    const rows = await db().telemetryNodeLatest.findMany({
      where: { siteId: { in: siteIds.slice(i, i + 500) } },
      orderBy: { id: "asc" },
    });
    for (const r of rows) out.push(fromRow(r));
  }
  return out;
}

/**
 * Every stored host, with only what the fleet views use: at 10,000 hosts reading
 * all 24 columns costs Prisma several times more (mostly turning 11 timestamps per row into Dates).
 */
export async function loadFleetReadings(): Promise<NodeReading[]> {
  const rows = await db().telemetryNodeLatest.findMany({
    select: {
      sourceId: true,
      siteTag: true,
      clusterTag: true,
      host: true,
      siteId: true,
      clusterId: true,
      tempC: true,
      tempAt: true,
      lastPointAt: true,
      pingAt: true,
      lossPct: true,
      skewMs: true,
    },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({
    ...r,
    tempAt: ms(r.tempAt),
    lastPointAt: ms(r.lastPointAt),
    pingAt: ms(r.pingAt),
  }));
}

export async function loadAllNodes(): Promise<NodeLatest[]> {
  return (await db().telemetryNodeLatest.findMany({ orderBy: { id: "asc" } })).map(fromRow);
}

export async function loadStatuses(): Promise<SourceTickStatus[]> {
  return (await db().telemetrySourceStatus.findMany()).map(statusFromRow);
}

export async function loadStatus(sourceId: string): Promise<SourceTickStatus | null> {
  const row = await db().telemetrySourceStatus.findUnique({ where: { sourceId } });
  return row ? statusFromRow(row) : null;
}

function statusData(s: SourceTickStatus) {
  return {
    tickSeq: s.tickSeq,
    lastTickAt: date(s.lastTickAt),
    lastOkAt: date(s.lastOkAt),
    lastErrorAt: date(s.lastErrorAt),
    lastErrorReason: s.lastErrorReason,
    lastErrorMessage: s.lastErrorMessage,
    queryMs: s.queryMs,
    hosts: s.hosts,
    windowFrom: date(s.windowFrom),
    windowTo: date(s.windowTo),
    lastMode: s.lastMode,
    updatedAt: new Date(s.lastTickAt ?? Date.now()),
  };
}

/** How a tick's writes run: in one transaction, fenced by the tick's lease when it runs in the worker host. */
export type TickWriter = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

const unfenced: TickWriter = (fn) => transaction(fn);

const COLUMNS = [
  "id",
  "sourceId",
  "siteTag",
  "clusterTag",
  "host",
  "siteId",
  "clusterId",
  "tempC",
  "tempAt",
  "windowMaxC",
  "windowMaxAt",
  "windowFrom",
  "windowTo",
  "lastPointAt",
  "pingAt",
  "lossPct",
  "rttMs",
  "keyValue",
  "keyAt",
  "skewMs",
  "skewSeenAt",
  "probeNewestAt",
  "probeAt",
  "tickAt",
] as const satisfies readonly (keyof TelemetryNodeLatest)[];

/** The row id: the source and the host's identity (nodeKey). */
export function rowId(sourceId: string, key: string): string {
  return `${sourceId}\u001f${key}`;
}

const COLUMN_LIST = Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(", "));
// Same spelling on SQLite and PostgreSQL: `excluded` is the row the INSERT proposed.
const UPDATE_ALL = Prisma.raw(
  COLUMNS.filter((c) => c !== "id")
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", "),
);

function valuesOf(rows: readonly TelemetryNodeLatest[]): Prisma.Sql {
  return Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(COLUMNS.map((c) => r[c]))})`));
}

/**
 * Multi-row INSERTs: createMany costs about half a millisecond per row here,
 * seconds for 10,000 hosts; a plain multi-row statement a tenth of that.
 */
function insertRows(tx: Tx, rows: readonly TelemetryNodeLatest[]): Prisma.PrismaPromise<number> {
  return tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${COLUMN_LIST}) VALUES ${valuesOf(rows)}`;
}

function upsertRows(tx: Tx, rows: readonly TelemetryNodeLatest[]): Prisma.PrismaPromise<number> {
  return tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${COLUMN_LIST}) VALUES ${valuesOf(rows)} ON CONFLICT ("id") DO UPDATE SET ${UPDATE_ALL}`;
}

/** What a tick knows the store holds: the rows it wrote with the status of `tickSeq`. */
export interface StoredTick {
  nodes: ReadonlyMap<string, NodeLatest>;
  tickSeq: number;
}

export interface WrittenTick {
  rowsWritten: number;
  rowsDeleted: number;
  /** every row of the source was replaced (first tick of a process, or the store was not as expected) */
  isFullRewrite: boolean;
}

export interface WriteTickOptions {
  /** the store as this writer left it; null: replace every row of the source */
  stored?: StoredTick | null;
  /** more writes for the same transaction: the fleet summary's marks of the sites this tick changed */
  extra?: (tx: Tx) => Prisma.PrismaPromise<unknown>[];
  write?: TickWriter;
}

/**
 * A successful tick with its status (and `extra`) in one transaction: the rows
 * whose readings moved, new and gone hosts, or, when the store may not be what
 * this writer last left there, every row of the source replaced.
 */
export async function writeTick(
  status: SourceTickStatus,
  nodes: readonly NodeLatest[],
  options: WriteTickOptions = {},
): Promise<WrittenTick> {
  const { stored = null, extra = () => [], write = unfenced } = options;
  const { sourceId } = status;
  const moved = stored ? rowChanges(stored.nodes, nodes) : null;
  // When most rows moved, deleting and inserting them all is cheaper than upserting them (measured at 10,000).
  const changes = moved && moved.upserts.length <= nodes.length / 2 ? moved : null;
  const upserts = (changes?.upserts ?? nodes).map(toRow);
  return write(async (tx) => {
    for (const op of extra(tx)) await op;
    let isFullRewrite = changes === null;
    if (stored && changes) {
      const row = await tx.telemetrySourceStatus.findUnique({
        where: { sourceId },
        select: { tickSeq: true },
      });
      // Someone else ticked this source since (another instance, a restored database): replace everything.
      isFullRewrite = (row?.tickSeq ?? 0) !== stored.tickSeq;
    }
    let rowsDeleted = 0;
    let rowsWritten = 0;
    if (isFullRewrite) {
      rowsDeleted = (await tx.telemetryNodeLatest.deleteMany({ where: { sourceId } })).count;
      const rows = changes ? nodes.map(toRow) : upserts;
      for (let i = 0; i < rows.length; i += WRITE_CHUNK)
        rowsWritten += await insertRows(tx, rows.slice(i, i + WRITE_CHUNK));
    } else if (changes) {
      const ids = changes.removed.map((key) => rowId(sourceId, key));
      for (let i = 0; i < ids.length; i += DELETE_CHUNK)
        rowsDeleted += (
          await tx.telemetryNodeLatest.deleteMany({ where: { id: { in: ids.slice(i, i + DELETE_CHUNK) } } })
        ).count;
      for (let i = 0; i < upserts.length; i += WRITE_CHUNK)
        rowsWritten += await upsertRows(tx, upserts.slice(i, i + WRITE_CHUNK));
    }
    await tx.telemetrySourceStatus.upsert({
      where: { sourceId },
      create: { sourceId, ...statusData(status) },
      update: statusData(status),
    });
    return { rowsWritten, rowsDeleted, isFullRewrite };
  });
}

/** A failed tick: the rows stay as they were (with their age); only the status says what happened. */
export async function writeStatus(status: SourceTickStatus, write: TickWriter = unfenced): Promise<void> {
  await write((tx) =>
    tx.telemetrySourceStatus.upsert({
      where: { sourceId: status.sourceId },
      create: { sourceId: status.sourceId, ...statusData(status) },
      update: statusData(status),
    }),
  );
}
