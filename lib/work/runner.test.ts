import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { enqueue } from "./jobs";
import { createRunner, wakeQueue } from "./runner";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

let n = 0;
const freshQueue = () => `runner-${++n}`;
const FAST = { baseMs: 20, maxMs: 50, jitter: 0 };

describe("runner", () => {
  it("runs every job once and records the handler's result", async () => {
    const queue = freshQueue();
    for (let i = 0; i < 6; i++) await enqueue(db(), { queue, key: `k${i}`, payload: { i } });
    const seen: number[] = [];
    const runner = createRunner<{ i: number }>({
      queue,
      owner: "me",
      concurrency: 3,
      pollMs: 50,
      async handler(job) {
        seen.push(job.payload.i);
        return { doubled: job.payload.i * 2 };
      },
    });
    const done = new Set<string>();
    const all = new Promise<void>((resolve) =>
      runner.events.on("completed", (job) => {
        done.add(job.key);
        if (done.size === 6) resolve();
      }),
    );
    runner.start();
    await all;
    await runner.stop();
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const rows = await db().workJob.findMany({ where: { queue }, orderBy: { key: "asc" } });
    expect(rows.every((r) => r.state === "succeeded")).toBe(true);
    expect(JSON.parse(rows[5]?.result ?? "null")).toEqual({ doubled: 10 });
  });

  it("never runs more than `concurrency` handlers at once", async () => {
    const queue = freshQueue();
    for (let i = 0; i < 8; i++) await enqueue(db(), { queue, key: `k${i}` });
    let current = 0;
    let peak = 0;
    const runner = createRunner({
      queue,
      owner: "me",
      concurrency: 2,
      pollMs: 20,
      async handler() {
        current++;
        peak = Math.max(peak, current);
        await new Promise((r) => setTimeout(r, 30));
        current--;
      },
    });
    let completed = 0;
    const all = new Promise<void>((resolve) =>
      runner.events.on("completed", () => {
        if (++completed === 8) resolve();
      }),
    );
    runner.start();
    await all;
    await runner.stop();
    expect(peak).toBe(2);
  });

  it("retries a failing handler with backoff and fails it after maxAttempts", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "flaky", maxAttempts: 5 });
    await enqueue(db(), { queue, key: "broken", maxAttempts: 2 });
    let flakyCalls = 0;
    const runner = createRunner({
      queue,
      owner: "me",
      pollMs: 20,
      backoff: FAST,
      async handler(job) {
        if (job.key === "broken") throw new Error("always broken");
        if (++flakyCalls < 3) throw new Error(`flaky ${flakyCalls}`);
        return "ok";
      },
    });
    const failed = runner.events.waitFor("failed", (job) => job.key === "broken");
    const completed = runner.events.waitFor("completed", (job) => job.key === "flaky");
    runner.start();
    const [[brokenJob, err], [flakyJob]] = await Promise.all([failed, completed]);
    await runner.stop();
    expect(err.message).toBe("always broken");
    expect(brokenJob.attempt).toBe(2);
    expect(flakyJob.attempt).toBe(3);
    const flaky = await db().workJob.findUniqueOrThrow({ where: { queue_key: { queue, key: "flaky" } } });
    expect(flaky).toMatchObject({ state: "succeeded", attempt: 3, lastError: "flaky 2" });
  });

  it("wakeQueue starts a job at once instead of at the next poll", async () => {
    const queue = freshQueue();
    const runner = createRunner({ queue, owner: "me", pollMs: 60_000, async handler() {} });
    runner.start();
    await runner.events.waitFor("idle");
    await enqueue(db(), { queue, key: "now" });
    const completed = runner.events.waitFor("completed", () => true, 10_000);
    wakeQueue(queue);
    await completed;
    await runner.stop();
  });

  it("a wake-up from another thread of the process starts a job at once (web server → its worker thread)", async () => {
    const queue = freshQueue();
    const runner = createRunner({ queue, owner: "me", pollMs: 60_000, async handler() {} });
    runner.start();
    await runner.events.waitFor("idle");
    await enqueue(db(), { queue, key: "from-another-thread" });
    const completed = runner.events.waitFor("completed", () => true, 10_000);
    const thread = new Worker(path.resolve("lib/testing/worker-thread/wake.mjs"), { workerData: { queue } });
    await completed;
    await thread.terminate();
    await runner.stop();
  });

  it("stop() aborts running handlers and hands their claims back without using an attempt", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "long" });
    const runner = createRunner({
      queue,
      owner: "me",
      pollMs: 20,
      handler: (_job, { signal }) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))),
    });
    runner.start();
    await runner.events.waitFor("claimed");
    await runner.stop();
    const row = await db().workJob.findUniqueOrThrow({ where: { queue_key: { queue, key: "long" } } });
    expect(row).toMatchObject({ state: "available", attempt: 0, claimedBy: null });
  });

  it("runs more than ten handlers at once without a MaxListenersExceededWarning, and stop() aborts them all", async () => {
    // The deploy runner runs 16 jobs at once: each used to hang an abort listener on the
    // runner's one stop signal, and the eleventh made Node warn of a leak.
    const queue = freshQueue();
    const size = 14;
    for (let i = 0; i < size; i++) await enqueue(db(), { queue, key: `k${i}` });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    let started = 0;
    let allStarted: () => void = () => {};
    const everyoneRunning = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const reasons: unknown[] = [];
    const runner = createRunner({
      queue,
      owner: "me",
      concurrency: size,
      pollMs: 20,
      handler: (_job, { signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener("abort", () => {
            reasons.push(signal.reason);
            reject(new Error("aborted"));
          });
          if (++started === size) allStarted();
        }),
    });
    try {
      runner.start();
      await everyoneRunning;
      await runner.stop();
      // Node emits the warning on a later tick.
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
    expect(reasons).toHaveLength(size);
    expect(new Set(reasons)).toEqual(new Set(["shutdown"]));
  });

  it("a handler whose claim was taken over is told so and its completion is refused", async () => {
    const queue = freshQueue();
    await enqueue(db(), { queue, key: "slow" });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = createRunner({
      queue,
      owner: "slow",
      leaseMs: 300,
      pollMs: 20,
      async handler() {
        await gate;
      },
    });
    slow.start();
    const [claimed] = await slow.events.waitFor("claimed");
    // Another worker's claim, as after this one stalled past its lease (the
    // multi-process tests do it with real SIGSTOP / kill -9).
    await db().workJob.update({
      where: { id: claimed.id },
      data: { leaseExpiresAt: new Date(Date.now() + 60_000), epoch: claimed.epoch + 1, claimedBy: "other" },
    });
    const lost = slow.events.waitFor("lost");
    release();
    const [lostJob] = await lost;
    await slow.stop();
    expect(lostJob.key).toBe("slow");
    const row = await db().workJob.findUniqueOrThrow({ where: { id: claimed.id } });
    expect(row.state).toBe("running"); // the old claim did not complete it
  });
});
