import "server-only";
import { db, type Tx, transaction } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import type { Prisma, TelemetryNodeLatest, TelemetrySourceStatus } from "@/lib/generated/prisma/client";
import { rowChanges } from "./diff";
import { jsonRowWriter, type RowWriter, rowId } from "./row-json";
import { type NodeLatest, type NodeReading, nodeKey, type SourceTickStatus, type TickMode } from "./types";

// The tick's results in the database: one row per host per data source, and a
// status row per source. The tick service is the only writer; everything else reads.

export { rowId };

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

/** A host's row as Prisma types it (the bench's VALUES-statement writer binds these). */
export function toRow(n: NodeLatest): TelemetryNodeLatest {
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
  /** how host rows are written; the JSON writer of the configured database unless a bench compares another */
  rowWriter?: RowWriter;
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
  const rows = options.rowWriter ?? jsonRowWriter(dialect());
  const { sourceId } = status;
  const moved = stored ? rowChanges(stored.nodes, nodes) : null;
  // When most rows moved, deleting and inserting them all is cheaper than upserting them (measured at 10,000).
  const changes = moved && moved.upserts.length <= nodes.length / 2 ? moved : null;
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
      rowsWritten = await rows.insert(tx, nodes);
    } else if (changes) {
      rowsDeleted = await rows.remove(
        tx,
        changes.removed.map((key) => rowId(sourceId, key)),
      );
      rowsWritten = await rows.upsert(tx, changes.upserts);
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
