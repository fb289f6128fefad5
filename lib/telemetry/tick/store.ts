import "server-only";
import { db, type Tx, transaction } from "@/lib/db/client";
import { Prisma, type TelemetryNodeLatest, type TelemetrySourceStatus } from "@/lib/generated/prisma/client";
import { type NodeLatest, nodeKey, type SourceTickStatus, type TickMode } from "./types";

// The tick's results in the database: one row per host per data source, and a
// status row per source. The tick service is the only writer; everything else reads.

/** Rows per INSERT: 24 columns × 200 stays far below both dialects' parameter limits. */
const WRITE_CHUNK = 200;

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
    id: `${n.sourceId}\u001f${nodeKey(n)}`,
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

/** A successful tick: every row of the source replaced, with its status, in one transaction. */
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

/**
 * Multi-row INSERTs: createMany costs about half a millisecond per row here,
 * seconds for 10,000 hosts; a plain multi-row statement a tenth of that.
 */
function insertRows(tx: Tx, rows: TelemetryNodeLatest[]): Prisma.PrismaPromise<number> {
  const columns = Prisma.raw(COLUMNS.map((c) => `"${c}"`).join(", "));
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(COLUMNS.map((c) => r[c]))})`));
  return tx.$executeRaw`INSERT INTO "TelemetryNodeLatest" (${columns}) VALUES ${values}`;
}

/** A successful tick: every row of the source replaced, with its status (and `extra`), in one transaction. */
export async function writeTick(
  status: SourceTickStatus,
  nodes: readonly NodeLatest[],
  /** more writes for the same transaction: the fleet summary's marks of the sites this tick changed */
  extra: (tx: Tx) => Prisma.PrismaPromise<unknown>[] = () => [],
  write: TickWriter = unfenced,
): Promise<void> {
  const rows = nodes.map(toRow);
  await write(async (tx) => {
    for (const op of extra(tx)) await op;
    await tx.telemetryNodeLatest.deleteMany({ where: { sourceId: status.sourceId } });
    for (let i = 0; i < rows.length; i += WRITE_CHUNK) await insertRows(tx, rows.slice(i, i + WRITE_CHUNK));
    await tx.telemetrySourceStatus.upsert({
      where: { sourceId: status.sourceId },
      create: { sourceId: status.sourceId, ...statusData(status) },
      update: statusData(status),
    });
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
