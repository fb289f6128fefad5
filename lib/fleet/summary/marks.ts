import "server-only";
import type { BatchOps, PollDigest } from "@/lib/collector/write";
import { db } from "@/lib/db/client";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { freshLimitMs } from "@/lib/health/freshness";

// Marks: whoever changes what a site's health is computed from bumps the site's
// summary version and makes it due, in the same transaction as the change. A
// recomputation that read older inputs then fails its version check and the row
// stays due, so no change is ever lost between a writer and the refresher.

type Client = Pick<PrismaClient, "siteSummary">;

const DUE = { version: { increment: 1 }, nextChangeAt: 0 } as const;

/** Ids per statement: Prisma refuses lists longer than SQLite's bound-parameter limit (999). */
const IDS_PER_STATEMENT = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IDS_PER_STATEMENT) out.push(items.slice(i, i + IDS_PER_STATEMENT));
  return out;
}

/** Statements for the writer's own transaction. */
export function markSitesDue(
  siteIds: readonly string[],
  client: Client = db(),
): Prisma.PrismaPromise<unknown>[] {
  return chunks(siteIds).map((ids) =>
    client.siteSummary.updateMany({ where: { siteId: { in: ids } }, data: DUE }),
  );
}

export function markSitesOfClustersDue(
  clusterIds: readonly string[],
  client: Client = db(),
): Prisma.PrismaPromise<unknown>[] {
  return chunks(clusterIds).map((ids) =>
    client.siteSummary.updateMany({
      where: { site: { clusters: { some: { id: { in: ids } } } } },
      data: DUE,
    }),
  );
}

/** Data sources, defaults, thresholds: a change that can touch any site. */
export function markAllSitesDue(client: Client = db()): Prisma.PrismaPromise<unknown> {
  return client.siteSummary.updateMany({ data: DUE });
}

interface Seen {
  key: string;
  okAt: number | null;
}

/**
 * Which clusters of a batch of poll results may change their site's state. A
 * fresh cluster answering the same as last time changes nothing but the time
 * it would turn stale, which the summary already recomputes at; anything else
 * (a failure, a new summary, an answer after a gap) marks the site. Memory
 * only: after a restart everything is marked once.
 */
export class PollMarks {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly intervalMs: number) {}

  clustersToMark(batch: readonly PollDigest[]): string[] {
    const out: string[] = [];
    // A success this soon after the previous one cannot have crossed the fresh limit in between.
    const quiet = freshLimitMs(this.intervalMs) / 2;
    for (const r of batch) {
      const key = r.isOk
        ? `ok\u001f${r.summary ?? ""}\u001f${r.link}`
        : `fail\u001f${r.errorClass ?? ""}\u001f${r.failures}\u001f${r.link}`;
      const prev = this.seen.get(r.clusterId);
      const isSame = r.isOk && prev?.key === key && prev.okAt !== null && r.at - prev.okAt <= quiet;
      if (!isSame) out.push(r.clusterId);
      this.seen.set(r.clusterId, { key, okAt: r.isOk ? r.at : (prev?.okAt ?? null) });
    }
    return out;
  }

  forget(clusterId: string): void {
    this.seen.delete(clusterId);
  }
}

/** The collector's batch hook: marks the sites of the clusters whose results may change them, in its transaction. */
export function summaryBatchOps(intervalMs: number): BatchOps {
  const marks = new PollMarks(intervalMs);
  return (client, digests) => markSitesOfClustersDue(marks.clustersToMark(digests), client);
}
