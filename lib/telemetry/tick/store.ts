import "server-only";
import { db } from "@/lib/db/client";
import type { TelemetryNodeLatest, TelemetrySourceStatus } from "@/lib/generated/prisma/client";
import { type NodeLatest, nodeKey, type SourceTickStatus, type TickMode } from "./types";

// The tick's results in the database: one row per host per data source, and a
// status row per source. The tick service is the only writer; everything else reads.

/** Rows per createMany: ~22 columns each keeps every statement far below SQLite's parameter limit. */
const WRITE_CHUNK = 1_000;

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
  return (await db().telemetryNodeLatest.findMany({ where: { sourceId } })).map(fromRow);
}

/** The stored latest of the given sites' hosts (any source; callers pick the site's own). */
export async function loadNodesOfSites(siteIds: readonly string[]): Promise<NodeLatest[]> {
  if (siteIds.length === 0) return [];
  const rows = await db().telemetryNodeLatest.findMany({ where: { siteId: { in: [...siteIds] } } });
  return rows.map(fromRow);
}

export async function loadAllNodes(): Promise<NodeLatest[]> {
  return (await db().telemetryNodeLatest.findMany()).map(fromRow);
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
export async function writeTick(status: SourceTickStatus, nodes: readonly NodeLatest[]): Promise<void> {
  const rows = nodes.map(toRow);
  const ops = [
    db().telemetryNodeLatest.deleteMany({ where: { sourceId: status.sourceId } }),
    ...Array.from({ length: Math.ceil(rows.length / WRITE_CHUNK) }, (_, i) =>
      db().telemetryNodeLatest.createMany({ data: rows.slice(i * WRITE_CHUNK, (i + 1) * WRITE_CHUNK) }),
    ),
    db().telemetrySourceStatus.upsert({
      where: { sourceId: status.sourceId },
      create: { sourceId: status.sourceId, ...statusData(status) },
      update: statusData(status),
    }),
  ];
  await db().$transaction(ops);
}

/** A failed tick: the rows stay as they were (with their age); only the status says what happened. */
export async function writeStatus(status: SourceTickStatus): Promise<void> {
  await db().telemetrySourceStatus.upsert({
    where: { sourceId: status.sourceId },
    create: { sourceId: status.sourceId, ...statusData(status) },
    update: statusData(status),
  });
}
