import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { registerInstance } from "./instance";
import { heldShardLeases, leaseKey, ShardOwner, shardFence } from "./shards";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

let n = 0;
async function owners(service: string, ids: string[], opts: { shardCount?: number; leaseMs?: number } = {}) {
  const list: ShardOwner[] = [];
  for (const id of ids) {
    await registerInstance({ role: "worker", services: [service] }, { id });
    list.push(
      new ShardOwner({
        service,
        owner: id,
        shardCount: opts.shardCount ?? 16,
        leaseMs: opts.leaseMs ?? 60_000,
      }),
    );
  }
  return list;
}
const fresh = () => `svc${++n}`;
const counts = (list: ShardOwner[]) => list.map((o) => o.heldShards().length);
const union = (list: ShardOwner[]) => list.flatMap((o) => o.heldShards());

describe("shard ownership", () => {
  it("one instance takes every shard; a second one joining gets half, with no shard owned twice", async () => {
    const service = fresh();
    const [a, b] = await owners(service, ["a", "b"]);
    if (!a || !b) throw new Error("owners");
    // only a is live so far: b's row exists but b never ticked; a sees b live, so give it an old heartbeat
    await db().workerInstance.update({ where: { id: "b" }, data: { heartbeatAt: new Date(0) } });
    await a.start();
    expect(counts([a])).toEqual([16]);
    await b.start(); // b heartbeats and claims what is free: nothing yet
    expect(counts([a, b])).toEqual([16, 0]);
    await a.tick(); // a sees b below its share: releases 8
    expect(counts([a, b])).toEqual([8, 0]);
    await b.tick(); // b claims them
    expect(counts([a, b])).toEqual([8, 8]);
    expect(new Set(union([a, b])).size).toBe(16);
    await a.tick();
    await b.tick();
    expect(counts([a, b])).toEqual([8, 8]); // steady: nothing moves
    await a.stop();
    await b.stop();
  });

  it("a takeover increments the epoch and the old owner's shard writes are refused", async () => {
    const service = fresh();
    const [a, b] = await owners(service, ["a2", "b2"], { shardCount: 4, leaseMs: 60_000 });
    if (!a || !b) throw new Error("owners");
    await a.start();
    await b.start();
    await a.tick();
    await b.tick();
    const shard = a.heldShards()[0] ?? -1;
    const old = a.leaseOf(shard);
    if (!old) throw new Error("a holds nothing");
    // a stops renewing (paused): its lease runs out, b takes the shard
    await db().workLease.update({ where: { name: old.name }, data: { expiresAt: new Date(Date.now() - 1) } });
    await db().workerInstance.update({ where: { id: "a2" }, data: { heartbeatAt: new Date(0) } });
    await b.tick();
    const taken = b.leaseOf(shard);
    expect(taken?.epoch).toBe(old.epoch + 1);
    // a's late write with the old epoch: refused inside the transaction
    const heldByA = await transaction((tx) => heldShardLeases(tx, [old]));
    expect(heldByA.size).toBe(0);
    const heldByB = await transaction((tx) => heldShardLeases(tx, [taken ?? old]));
    expect([...heldByB]).toEqual([leaseKey({ name: old.name, epoch: old.epoch + 1 })]);
    // in one batch with both epochs of the shard, only the current one passes
    const both = await transaction((tx) => heldShardLeases(tx, [{ ...old, owner: "b2" }, taken ?? old]));
    expect([...both]).toEqual([leaseKey(taken ?? old)]);
    // a's next tick finds out and lets go
    const lost = a.events.waitFor("lost");
    await a.tick();
    expect((await lost)[0]).toContain(shard);
    expect(a.owns("x") && a.shardOf("x") === shard).toBe(false);
    await a.stop();
    await b.stop();
  });

  it("the fence admits work begun under the current epoch only, even when the shard came back to the same owner", async () => {
    const service = fresh();
    const [a] = await owners(service, ["a4"], { shardCount: 2 });
    if (!a) throw new Error("owners");
    await a.start();
    const fence = shardFence(a);
    const id = "cluster-1";
    const before = fence.tokenFor(id);
    if (!before) throw new Error("a owns every shard");
    // while a was paused another instance took the shard (epoch + 1) and let it go again;
    // a's next tick finds its lease gone and claims the free shard anew (epoch + 2)
    await db().workLease.update({
      where: { name: before.name },
      data: { owner: "someone-else", epoch: { increment: 1 }, expiresAt: new Date(Date.now() - 1) },
    });
    await a.tick();
    const after = fence.tokenFor(id);
    expect(after?.epoch).toBe(before.epoch + 2);
    const admitted = await transaction(async (tx) => {
      const admit = await fence.admit(tx, [before, after ?? before]);
      return [admit(before), admit(after ?? before)];
    });
    expect(admitted).toEqual([false, true]);
    await a.stop();
    expect(fence.tokenFor(id)).toBeNull();
  });

  it("stop() hands every shard back at once", async () => {
    const service = fresh();
    const [a] = await owners(service, ["a3"]);
    if (!a) throw new Error("owners");
    await a.start();
    expect(a.heldShards()).toHaveLength(16);
    await a.stop();
    const free = await db().workLease.count({
      where: { name: { startsWith: `${service}:` }, expiresAt: { lte: new Date() } },
    });
    expect(free).toBe(16);
  });
});
