import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import {
  cancel,
  claim,
  complete,
  enqueue,
  extendClaim,
  fail,
  fencedJob,
  JobLost,
  pruneFinished,
  releaseClaim,
  retry,
} from "./jobs";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

const T0 = Date.parse("2026-12-01T10:00:00Z");
let n = 0;
const freshQueue = () => `q${++n}`;
const state = async (queue: string, key: string) =>
  db().workJob.findUniqueOrThrow({ where: { queue_key: { queue, key } } });

describe("enqueue", () => {
  it("is idempotent by (queue, key): the second enqueue returns the first job", async () => {
    const queue = freshQueue();
    const first = await enqueue(db(), { queue, key: "a", payload: { v: 1 } }, { now: T0 });
    const second = await enqueue(db(), { queue, key: "a", payload: { v: 2 } }, { now: T0 });
    expect(first.isNew).toBe(true);
    expect(second).toEqual({ id: first.id, isNew: false });
    expect(JSON.parse((await state(queue, "a")).payload)).toEqual({ v: 1 });
    // the same key in another queue is another job
    expect((await enqueue(db(), { queue: freshQueue(), key: "a" })).isNew).toBe(true);
  });

  it("inside the caller's transaction: rolled back with it", async () => {
    const queue = freshQueue();
    await expect(
      transaction(async (tx) => {
        await enqueue(tx, { queue, key: "x" });
        throw new Error("caller failed");
      }),
    ).rejects.toThrow("caller failed");
    expect(await db().workJob.count({ where: { queue } })).toBe(0);
  });
});

describe("claim", () => {
  it("takes due jobs oldest first, attempt + 1 and epoch + 1, and not future ones", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "later", runAt: new Date(T0 + 60_000) }, { now: T0 });
    await enqueue(db(), { queue, key: "b", runAt: new Date(T0 - 1_000) }, { now: T0 });
    await enqueue(db(), { queue, key: "a", runAt: new Date(T0 - 2_000) }, { now: T0 });
    const jobs = await claim(queue, "W1", { limit: 10, leaseMs: 30_000, now: T0 });
    expect(jobs.map((j) => j.key)).toEqual(["a", "b"]);
    expect(jobs[0]).toMatchObject({ attempt: 1, epoch: 1, claimedBy: "W1" });
    expect(jobs[0]?.leaseExpiresAt.getTime()).toBe(T0 + 30_000);
    // claimed jobs are not claimed again while their lease runs
    expect(await claim(queue, "W2", { limit: 10, leaseMs: 30_000, now: T0 + 29_999 })).toEqual([]);
    // the future one becomes due
    expect(
      (await claim(queue, "W2", { limit: 10, leaseMs: 30_000, now: T0 + 60_000 })).map((j) => j.key),
    ).toEqual(expect.arrayContaining(["later"]));
  });

  it("respects the limit", async () => {
    const queue = freshQueue();
    for (const k of ["1", "2", "3"]) await enqueue(db(), { queue, key: k }, { now: T0 });
    expect(await claim(queue, "W", { limit: 2, leaseMs: 1_000, now: T0 })).toHaveLength(2);
    expect(await claim(queue, "W", { limit: 0, leaseMs: 1_000, now: T0 })).toEqual([]);
  });

  it("takes over an expired claim with a higher epoch; the old claim's completion is refused", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "k" }, { now: T0 });
    const [old] = await claim(queue, "dead", { limit: 1, leaseMs: 5_000, now: T0 });
    if (!old) throw new Error("no claim");
    const [taken] = await claim(queue, "alive", { limit: 1, leaseMs: 5_000, now: T0 + 5_000 });
    expect(taken).toMatchObject({ key: "k", attempt: 2, epoch: 2, claimedBy: "alive" });
    await expect(complete(old, { now: T0 + 5_001 })).rejects.toBeInstanceOf(JobLost);
    await expect(retry(old, "late", { now: T0 + 5_001 })).rejects.toBeInstanceOf(JobLost);
    await expect(extendClaim(old, 5_000, { now: T0 + 5_001 })).rejects.toBeInstanceOf(JobLost);
    await complete(taken as NonNullable<typeof taken>, { result: { ok: true }, now: T0 + 6_000 });
    expect(await state(queue, "k")).toMatchObject({ state: "succeeded", result: '{"ok":true}', epoch: 2 });
  });

  it("an expired claim on the last attempt fails instead of running again", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "k", maxAttempts: 1 }, { now: T0 });
    expect(await claim(queue, "W", { limit: 1, leaseMs: 1_000, now: T0 })).toHaveLength(1);
    expect(await claim(queue, "W", { limit: 1, leaseMs: 1_000, now: T0 + 1_000 })).toEqual([]);
    expect(await state(queue, "k")).toMatchObject({
      state: "failed",
      lastError: "claim expired on the last attempt",
    });
  });

  it("extending a claim keeps others off it past the original lease", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "k" }, { now: T0 });
    const [job] = await claim(queue, "W", { limit: 1, leaseMs: 1_000, now: T0 });
    if (!job) throw new Error("no claim");
    await extendClaim(job, 1_000, { now: T0 + 900 });
    expect(await claim(queue, "X", { limit: 1, leaseMs: 1_000, now: T0 + 1_500 })).toEqual([]);
  });
});

describe("finishing", () => {
  it("retry schedules the next attempt with backoff, then fails after maxAttempts", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "k", maxAttempts: 2 }, { now: T0 });
    const backoff = { baseMs: 1_000, maxMs: 10_000, jitter: 0 };
    const [first] = await claim(queue, "W", { limit: 1, leaseMs: 1_000, now: T0 });
    if (!first) throw new Error("no claim");
    expect(await retry(first, "HTTP 503", { backoff, now: T0 + 100 })).toBe("retrying");
    expect(await state(queue, "k")).toMatchObject({
      state: "available",
      lastError: "HTTP 503",
      claimedBy: null,
    });
    expect((await state(queue, "k")).runAt.getTime()).toBe(T0 + 1_100);
    expect(await claim(queue, "W", { limit: 1, leaseMs: 1_000, now: T0 + 1_099 })).toEqual([]);
    const [second] = await claim(queue, "W", { limit: 1, leaseMs: 1_000, now: T0 + 1_100 });
    expect(second?.attempt).toBe(2);
    expect(
      await retry(second as NonNullable<typeof second>, "HTTP 503 again", { backoff, now: T0 + 1_200 }),
    ).toBe("failed");
    expect(await state(queue, "k")).toMatchObject({ state: "failed", lastError: "HTTP 503 again" });
  });

  it("fail, cancel and releaseClaim", async () => {
    const queue = freshQueue();
    for (const k of ["f", "c", "r"]) await enqueue(db(), { queue, key: k }, { now: T0 });
    const jobs = await claim(queue, "W", { limit: 3, leaseMs: 1_000, now: T0 });
    const byKey = Object.fromEntries(jobs.map((j) => [j.key, j]));
    await fail(byKey.f as (typeof jobs)[number], "bad payload", { now: T0 });
    expect(await cancel(queue, "c", { now: T0 })).toBe(true);
    await expect(complete(byKey.c as (typeof jobs)[number], { now: T0 })).rejects.toBeInstanceOf(JobLost);
    await releaseClaim(byKey.r as (typeof jobs)[number], { now: T0 });
    expect(await state(queue, "f")).toMatchObject({ state: "failed", lastError: "bad payload" });
    expect(await state(queue, "c")).toMatchObject({ state: "cancelled" });
    expect(await state(queue, "r")).toMatchObject({ state: "available", attempt: 0, claimedBy: null });
    expect(await cancel(queue, "f")).toBe(false);
  });

  it("fencedJob commits writes with the claim check, and refuses after a takeover", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "k" }, { now: T0 });
    const [old] = await claim(queue, "W1", { limit: 1, leaseMs: 1_000, now: T0 });
    if (!old) throw new Error("no claim");
    await fencedJob(old, (tx) =>
      tx.auditEvent.create({ data: { actorName: "W1", action: queue, result: "ok" } }),
    );
    await claim(queue, "W2", { limit: 1, leaseMs: 1_000, now: T0 + 1_000 });
    await expect(
      fencedJob(old, (tx) =>
        tx.auditEvent.create({ data: { actorName: "W1-late", action: queue, result: "ok" } }),
      ),
    ).rejects.toBeInstanceOf(JobLost);
    expect((await db().auditEvent.findMany({ where: { action: queue } })).map((e) => e.actorName)).toEqual([
      "W1",
    ]);
  });

  it("complete inside the caller's transaction commits both or neither", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "k" }, { now: T0 });
    const [job] = await claim(queue, "W", { limit: 1, leaseMs: 60_000, now: T0 });
    if (!job) throw new Error("no claim");
    await expect(
      transaction(async (tx) => {
        await complete(job, { tx, now: T0 });
        throw new Error("caller failed after completing");
      }),
    ).rejects.toThrow();
    expect((await state(queue, "k")).state).toBe("running");
    await transaction((tx) => complete(job, { tx, now: T0 }));
    expect((await state(queue, "k")).state).toBe("succeeded");
  });

  it("pruneFinished deletes old finished jobs only, freeing their keys", async () => {
    const queue = freshQueue();
    for (const [i, k] of ["old", "new", "open"].entries())
      await enqueue(db(), { queue, key: k, runAt: new Date(T0 + i) }, { now: T0 });
    const jobs = await claim(queue, "W", { limit: 2, leaseMs: 60_000, now: T0 + 10 });
    const old = jobs.find((j) => j.key === "old");
    const fresh = jobs.find((j) => j.key === "new");
    if (!old || !fresh) throw new Error("claims");
    await complete(old, { now: T0 });
    await complete(fresh, { now: T0 + 10_000 });
    expect(await pruneFinished(new Date(T0 + 5_000), { batch: 1 })).toBeGreaterThanOrEqual(1);
    const left = (await db().workJob.findMany({ where: { queue } })).map((j) => j.key).sort();
    expect(left).toEqual(["new", "open"]);
    expect((await enqueue(db(), { queue, key: "old" })).isNew).toBe(true);
  });
});
