import "server-only";
import { type DbClient, db, transaction } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import { encodePolls, linkStateKey } from "@/lib/health/link";
import { summarizeSnapshot } from "@/lib/health/summary";
import type { ClusterSnapshot } from "@/lib/health/types";
import type { ReachError } from "@/lib/kube/error-class";
import type { KnownCertificate } from "@/lib/kube/tls-session";
import type { Lease } from "@/lib/work/lease";
import type { ShardFence } from "@/lib/work/shards";
import type { ContactOp, LinkRecord } from "./contact-log";

// The collector's one write path: a batch of poll results becomes status-row
// upserts and contact-history changes in one transaction. With sharded
// collection every result carries the shard lease it was polled under, and the
// transaction first checks (and locks) those leases: a result whose epoch is
// gone — its worker was paused past its lease and the shard taken over — is
// refused, so a late write never overwrites the new owner's fresher state.

export type PollResult =
  | {
      clusterId: string;
      at: number;
      isOk: true;
      /** when the heartbeat answered: the cluster's "last seen" */
      seenAt: number;
      snapshot: ClusterSnapshot;
      link: LinkRecord;
      ops: ContactOp[];
      /** the certificate of the latest full handshake, when known */
      serverCert: KnownCertificate | null;
      /** sharded collection: the shard lease this poll ran under */
      lease?: Lease;
    }
  | {
      clusterId: string;
      at: number;
      isOk: false;
      reach: ReachError;
      failures: number;
      link: LinkRecord;
      ops: ContactOp[];
      lease?: Lease;
    };

/**
 * Rows per multi-row upsert. Small on purpose: Prisma's driver adapters keep the
 * arguments of their last 100 statements for error reports (@prisma/debug), so
 * the chunk size bounds how many snapshots stay in memory (100 × 50 rows
 * instead of a whole sweep of 10,000); per-statement cost is negligible at 50.
 */
const WRITE_CHUNK = 50;
/** contact rows per createMany */
const EVENT_CHUNK = 500;

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

const LINK_COLUMNS = ["recentPolls", "flapSince", "flapPolls", "flapFailures", "slowSince"] as const;

function linkValues(link: LinkRecord): unknown[] {
  return [
    encodePolls(link.outcomes),
    date(link.flapSince),
    link.flapPolls,
    link.flapFailures,
    date(link.slowSince),
  ];
}

// One multi-row INSERT … ON CONFLICT per chunk instead of a Prisma upsert per
// cluster: at 10,000 clusters per sweep the per-statement overhead dominated.
// Standard SQL, with placeholders chosen by the driver adapter (SQLite and PostgreSQL).
function upsertStatus(
  client: DbClient,
  columns: readonly string[],
  rows: unknown[][],
  overrides: Record<string, string> = {},
) {
  const all = ["clusterId", ...columns];
  const names = Prisma.raw(all.map((c) => `"${c}"`).join(", "));
  const values = Prisma.join(rows.map((r) => Prisma.sql`(${Prisma.join(r)})`));
  const updates = Prisma.raw(columns.map((c) => `"${c}" = ${overrides[c] ?? `excluded."${c}"`}`).join(", "));
  return client.$executeRaw(
    Prisma.sql`INSERT INTO "ClusterStatus" (${names}) VALUES ${values} ON CONFLICT ("clusterId") DO UPDATE SET ${updates}`,
  );
}

type Ok = Extract<PollResult, { isOk: true }>;
type Failed = Extract<PollResult, { isOk: false }>;

/** One written poll result as those who derive state from it see it (the fleet summary's marks). */
export interface PollDigest {
  clusterId: string;
  at: number;
  isOk: boolean;
  /** the ClusterSummary JSON written with an ok poll */
  summary: string | null;
  errorClass: string | null;
  failures: number;
  /** what the health model reads of the link record (state, counts, slow latency, since) */
  link: string;
}

/** More statements for a batch's transaction, on its client, from the results it writes. */
export type BatchOps = (client: DbClient, written: PollDigest[]) => Prisma.PrismaPromise<unknown>[];

function digest(r: PollResult, summary: string | null): PollDigest {
  return {
    clusterId: r.clusterId,
    at: r.at,
    isOk: r.isOk,
    summary,
    errorClass: r.isOk ? null : r.reach.errorClass,
    failures: r.isOk ? 0 : r.failures,
    link: linkStateKey(r.link.outcomes, r.link.flapSince, r.link.slowSince),
  };
}

function statusOps(
  client: DbClient,
  ok: Ok[],
  failed: Failed[],
  summaries: Map<Ok, string>,
): Prisma.PrismaPromise<unknown>[] {
  return [
    ...chunk(ok, WRITE_CHUNK).map((rows) =>
      upsertStatus(
        client,
        [
          "lastAttemptAt",
          "lastSuccessAt",
          "consecutiveFailures",
          "gitVersion",
          "summary",
          "snapshot",
          "updatedAt",
          ...LINK_COLUMNS,
          "serverCertFingerprint",
          "serverCertNotAfter",
        ],
        rows.map((r) => [
          r.clusterId,
          new Date(r.at),
          new Date(r.seenAt),
          0,
          r.snapshot.gitVersion,
          summaries.get(r) ?? JSON.stringify(summarizeSnapshot(r.snapshot)),
          JSON.stringify(r.snapshot),
          new Date(r.at),
          ...linkValues(r.link),
          r.serverCert?.fingerprint256 ?? null,
          r.serverCert ? new Date(r.serverCert.notAfter) : null,
        ]),
        {
          gitVersion: `COALESCE(excluded."gitVersion", "ClusterStatus"."gitVersion")`,
          serverCertFingerprint: `COALESCE(excluded."serverCertFingerprint", "ClusterStatus"."serverCertFingerprint")`,
          serverCertNotAfter: `COALESCE(excluded."serverCertNotAfter", "ClusterStatus"."serverCertNotAfter")`,
        },
      ),
    ),
    ...chunk(failed, WRITE_CHUNK).map((rows) =>
      upsertStatus(
        client,
        [
          "lastAttemptAt",
          "lastErrorAt",
          "lastErrorClass",
          "lastErrorMessage",
          "consecutiveFailures",
          "updatedAt",
          ...LINK_COLUMNS,
        ],
        rows.map((r) => [
          r.clusterId,
          new Date(r.at),
          new Date(r.at),
          r.reach.errorClass,
          r.reach.message,
          r.failures,
          new Date(r.at),
          ...linkValues(r.link),
        ]),
      ),
    ),
  ];
}

/** The open down row (the cluster's newest) or the open run row now says what is failing. */
function failureChanged(
  client: DbClient,
  clusterId: string,
  op: Extract<ContactOp, { op: "failure-changed" }>,
) {
  const set = Prisma.sql`"latestErrorClass" = ${op.failure.errorClass}, "latestMessage" = ${op.failure.message}, "latestAt" = ${new Date(op.at)}`;
  if (op.row === "intermittent")
    return client.$executeRaw`UPDATE "ContactEvent" SET ${set}
      WHERE "clusterId" = ${clusterId} AND "kind" = 'intermittent' AND "endAt" IS NULL`;
  return client.$executeRaw`UPDATE "ContactEvent" SET ${set}
    WHERE "id" = (SELECT "id" FROM "ContactEvent" WHERE "clusterId" = ${clusterId} AND "kind" = 'down'
                  ORDER BY "at" DESC LIMIT 1)`;
}

/**
 * Contact-history changes in poll order. Plain events are batched; a run start
 * folds the up/down rows it began with into one row, a run end closes it.
 */
function contactOps(client: DbClient, results: PollResult[]): Prisma.PrismaPromise<unknown>[] {
  const out: Prisma.PrismaPromise<unknown>[] = [];
  let events: Prisma.ContactEventCreateManyInput[] = [];
  const flushEvents = () => {
    for (const part of chunk(events, EVENT_CHUNK)) out.push(client.contactEvent.createMany({ data: part }));
    events = [];
  };
  for (const r of results) {
    for (const op of r.ops) {
      if (op.op === "event") {
        events.push({
          clusterId: r.clusterId,
          at: new Date(op.at),
          kind: op.kind,
          errorClass: op.failure?.errorClass ?? null,
          message: op.failure?.message ?? null,
        });
        continue;
      }
      if (op.op === "cert-changed") {
        events.push({
          clusterId: r.clusterId,
          at: new Date(op.at),
          kind: "cert-changed",
          message: op.message,
        });
        continue;
      }
      flushEvents();
      if (op.op === "failure-changed") {
        out.push(failureChanged(client, r.clusterId, op));
      } else if (op.op === "run-start") {
        out.push(
          client.contactEvent.deleteMany({
            where: { clusterId: r.clusterId, at: { gte: new Date(op.at) }, kind: { in: ["up", "down"] } },
          }),
          client.contactEvent.create({
            data: {
              clusterId: r.clusterId,
              at: new Date(op.at),
              kind: "intermittent",
              errorClass: op.failure?.errorClass ?? null,
              message: op.failure?.message ?? null,
              polls: op.polls,
              failures: op.failures,
            },
          }),
        );
      } else {
        out.push(
          client.contactEvent.updateMany({
            where: { clusterId: r.clusterId, kind: "intermittent", endAt: null },
            data: { endAt: new Date(op.at), polls: op.polls, failures: op.failures },
          }),
        );
      }
    }
  }
  flushEvents();
  return out;
}

export interface WriteOutcome {
  /** clusters whose rows were written (removed clusters are skipped) */
  written: string[];
  /** results refused by the shard fence: polled under a lease this worker no longer holds */
  refused: PollResult[];
}

/**
 * Writes a batch in one transaction. With a fence, the shard leases the results
 * were polled under are checked and locked first; results of leases no longer
 * held at their epochs are refused (and reported), the rest commit.
 */
export async function writeResults(
  batch: PollResult[],
  fence?: ShardFence,
  batchOps?: BatchOps,
): Promise<WriteOutcome> {
  const known = new Set(
    (
      await db().cluster.findMany({
        where: { id: { in: [...new Set(batch.map((r) => r.clusterId))] } },
        select: { id: true },
      })
    ).map((c) => c.id),
  );
  const present = batch.filter((r) => known.has(r.clusterId));
  const write = async (client: DbClient, live: PollResult[]) => {
    // One row per cluster and statement (PostgreSQL refuses an upsert touching a row twice). A cluster
    // polled twice in one batch: its latest success, then its later failure if it failed since.
    const latestOk = new Map<string, Ok>();
    const latestFailed = new Map<string, Failed>();
    for (const r of live) {
      if (r.isOk) {
        latestOk.set(r.clusterId, r);
        latestFailed.delete(r.clusterId);
      } else latestFailed.set(r.clusterId, r);
    }
    const summaries = new Map<Ok, string>();
    for (const r of latestOk.values()) summaries.set(r, JSON.stringify(summarizeSnapshot(r.snapshot)));
    return [
      ...statusOps(client, [...latestOk.values()], [...latestFailed.values()], summaries),
      ...contactOps(client, live),
      // In poll order, so a cluster polled twice in the batch ends on its latest result.
      ...(batchOps
        ? batchOps(
            client,
            live.map((r) => digest(r, r.isOk ? (summaries.get(r) ?? null) : null)),
          )
        : []),
    ];
  };
  if (!fence) {
    const ops = await write(db(), present);
    if (ops.length > 0) await db().$transaction(ops);
    return { written: [...new Set(present.map((r) => r.clusterId))], refused: [] };
  }
  return transaction(async (tx) => {
    const tokens = present.map((r) => r.lease).filter((l): l is Lease => l !== undefined);
    const admit = await fence.admit(tx, tokens);
    const live: PollResult[] = [];
    const refused: PollResult[] = [];
    for (const r of present) (r.lease !== undefined && admit(r.lease) ? live : refused).push(r);
    for (const op of await write(tx, live)) await op;
    return { written: [...new Set(live.map((r) => r.clusterId))], refused };
  });
}
