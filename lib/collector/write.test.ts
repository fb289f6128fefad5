import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { registerInstance } from "@/lib/work/instance";
import type { Lease } from "@/lib/work/lease";
import { ShardOwner, shardFence } from "@/lib/work/shards";
import { emptyLinkRecord } from "./contact-log";
import { type PollResult, writeResults } from "./write";

// The collector's one write path under sharded collection: results polled
// under a shard lease that is no longer held at that epoch are refused inside
// the write transaction, the rest of the batch commits.

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

async function clusters(n: number): Promise<string[]> {
  const site = await db().site.create({
    data: { slug: `write-${Date.now()}`, name: "Write test", kind: "store" },
  });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = await db().cluster.create({
      data: {
        siteId: site.id,
        name: `edge-${i}`,
        server: `https://${site.slug}-${i}.invalid:6443`,
        contextName: "default",
        authKind: "token",
        kubeconfigEnc: "unused",
      },
    });
    ids.push(c.id);
  }
  return ids;
}

const failed = (clusterId: string, at: number, lease?: Lease): PollResult => ({
  clusterId,
  at,
  isOk: false,
  reach: { errorClass: "timeout", message: "no answer" },
  failures: 1,
  link: emptyLinkRecord(),
  ops: [],
  ...(lease ? { lease } : {}),
});

const lastAttempt = async (id: string) =>
  (await db().clusterStatus.findUnique({ where: { clusterId: id } }))?.lastAttemptAt?.getTime() ?? null;

describe("writeResults with a shard fence", () => {
  it("writes results of held leases; refuses those whose shard was taken over since, in the same batch", async () => {
    await registerInstance({ role: "worker", services: ["write-test"] }, { id: "writer" });
    const owner = new ShardOwner({ service: "write-test", owner: "writer", shardCount: 64, leaseMs: 60_000 });
    await owner.start();
    const fence = shardFence(owner);
    // two clusters on different shards
    const ids = await clusters(12);
    const a = ids[0] ?? "";
    const b = ids.find((id) => owner.shardOf(id) !== owner.shardOf(a)) ?? "";
    const leaseA = fence.tokenFor(a);
    const leaseB = fence.tokenFor(b);
    if (!leaseA || !leaseB) throw new Error("one instance owns every shard");

    const t1 = Date.now() - 10_000;
    expect(await writeResults([failed(a, t1, leaseA), failed(b, t1, leaseB)], fence)).toEqual({
      written: [a, b],
      refused: [],
    });
    expect(await lastAttempt(a)).toBe(t1);

    // another instance takes a's shard (its lease expired while this one was paused): epoch + 1
    await db().workLease.update({
      where: { name: leaseA.name },
      data: { owner: "other", epoch: { increment: 1 }, expiresAt: new Date(Date.now() + 60_000) },
    });
    const t2 = Date.now() - 5_000;
    const outcome = await writeResults([failed(a, t2, leaseA), failed(b, t2, leaseB)], fence);
    expect(outcome.written).toEqual([b]);
    expect(outcome.refused.map((r) => r.clusterId)).toEqual([a]);
    expect(await lastAttempt(a)).toBe(t1); // the stale result did not land
    expect(await lastAttempt(b)).toBe(t2);

    // a result without a lease is never admitted under a fence
    const untagged = await writeResults([failed(b, Date.now())], fence);
    expect(untagged.written).toEqual([]);
    expect(untagged.refused).toHaveLength(1);
    await owner.stop();
  });

  it("a contact-history change in the fenced batch is written inside the fenced transaction", async () => {
    await registerInstance({ role: "worker", services: ["write-test-2"] }, { id: "writer-2" });
    const owner = new ShardOwner({
      service: "write-test-2",
      owner: "writer-2",
      shardCount: 8,
      leaseMs: 60_000,
    });
    await owner.start();
    const fence = shardFence(owner);
    const [id = ""] = await clusters(1);
    const lease = fence.tokenFor(id) ?? undefined;
    const t1 = Date.now() - 4_000;
    const down: PollResult = {
      ...failed(id, t1, lease),
      ops: [{ op: "event", at: t1, kind: "down", failure: { errorClass: "refused", message: "refused" } }],
    };
    const t2 = t1 + 2_000;
    const changed: PollResult = {
      ...failed(id, t2, lease),
      ops: [
        {
          op: "failure-changed",
          at: t2,
          row: "down",
          failure: { errorClass: "timeout", message: "no answer" },
        },
      ],
    };
    expect((await writeResults([down], fence)).written).toEqual([id]);
    // a statement outside the transaction would wait for it (SQLite) or for its row lock (PostgreSQL)
    expect((await writeResults([changed], fence)).written).toEqual([id]);
    const row = await db().contactEvent.findFirstOrThrow({ where: { clusterId: id, kind: "down" } });
    expect(row).toMatchObject({
      errorClass: "refused",
      latestErrorClass: "timeout",
      latestMessage: "no answer",
    });
    await owner.stop();
  });

  it("an intermittent run's start, current failure and end, all inside the fenced transaction", async () => {
    await registerInstance({ role: "worker", services: ["write-runs"] }, { id: "writer-runs" });
    const owner = new ShardOwner({
      service: "write-runs",
      owner: "writer-runs",
      shardCount: 8,
      leaseMs: 60_000,
    });
    await owner.start();
    const fence = shardFence(owner);
    const [id = ""] = await clusters(1);
    const lease = fence.tokenFor(id) ?? undefined;
    const t = Date.now() - 60_000;
    const result = (at: number, ops: PollResult["ops"]): PollResult => ({ ...failed(id, at, lease), ops });
    const reset = { errorClass: "reset" as const, message: "connection reset" };
    const refused = { errorClass: "refused" as const, message: "connection refused" };
    await writeResults(
      [result(t, [{ op: "run-start", at: t, polls: 5, failures: 3, failure: reset }])],
      fence,
    );
    const out = await writeResults(
      [
        result(t + 15_000, [
          { op: "failure-changed", at: t + 15_000, row: "intermittent", failure: refused },
          { op: "run-end", at: t + 30_000, polls: 7, failures: 4 },
        ]),
      ],
      fence,
    );
    expect(out.refused).toEqual([]);
    const run = await db().contactEvent.findFirstOrThrow({ where: { clusterId: id } });
    expect(run).toMatchObject({
      kind: "intermittent",
      errorClass: "reset",
      latestMessage: "connection refused",
    });
    expect(run).toMatchObject({ polls: 7, failures: 4 });
    expect(run.endAt?.getTime()).toBe(t + 30_000);
    await owner.stop();
  });

  it("without a fence (one unsharded collector) every result is written", async () => {
    const [id = ""] = await clusters(1);
    const at = Date.now();
    expect(await writeResults([failed(id, at)])).toEqual({ written: [id], refused: [] });
    expect(await lastAttempt(id)).toBe(at);
  });
});
