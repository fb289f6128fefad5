// lib/work across real processes on one database: what a second Outpost
// instance (or a crashed one) does, with real signals.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { ChildCommandError, spawnWorkProcess, type WorkProcess } from "@/lib/testing/work-process";
import { type ClaimedJob, claim, complete, enqueue, JobLost } from "./jobs";
import type { Lease } from "./lease";

let dataDir: string;
let cleanup: () => Promise<void>;
const children: WorkProcess[] = [];
/** two processes shared by the tests (starting one takes seconds) */
let a: WorkProcess;
let b: WorkProcess;

beforeAll(async () => {
  const tmp = await useTempDataDir();
  dataDir = tmp.dir;
  cleanup = tmp.cleanup;
  await db().workLease.count(); // migrate once before the children start
  [a, b] = await Promise.all([spawn(), spawn()]);
});
afterEach(() => {
  for (const c of children) c.kill("SIGCONT");
});
afterAll(async () => {
  for (const c of children.splice(0)) {
    c.kill("SIGKILL");
    await c.exited;
  }
  await cleanup();
});

async function spawn(): Promise<WorkProcess> {
  const child = await spawnWorkProcess({ OUTPOST_DATA_DIR: dataDir });
  children.push(child);
  return child;
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

const revive = (job: ClaimedJob): ClaimedJob => ({
  ...job,
  leaseExpiresAt: new Date(job.leaseExpiresAt),
  runAt: new Date(job.runAt),
  createdAt: new Date(job.createdAt),
});

describe("lib/work across processes", () => {
  it("two processes racing for the same free leases: exactly one wins each, at epoch 1", async () => {
    const names = ["race-1", "race-2", "race-3", "race-4", "race-5"];
    for (const name of names) {
      const at = Date.now() + 300;
      const results = await Promise.all([
        a.call<Lease | null>("acquire", { name, ttlMs: 60_000, at }),
        b.call<Lease | null>("acquire", { name, ttlMs: 60_000, at }),
      ]);
      const winners = results.filter((r) => r !== null);
      expect(winners, name).toHaveLength(1);
      expect(winners[0]?.epoch).toBe(1);
      expect([a.owner, b.owner]).toContain(winners[0]?.owner);
    }
  });

  it("a holder paused past its lease (SIGSTOP) is taken over with epoch + 1; after SIGCONT its fenced write is refused", async () => {
    const leaseA = await a.call<Lease>("acquire", { name: "fence", ttlMs: 1_000 });
    expect(leaseA.epoch).toBe(1);
    await a.call("fencedEnqueue", { lease: leaseA, queue: "fence-writes", key: "a-before" });
    a.kill("SIGSTOP");
    await until(() => Date.now() >= new Date(leaseA.expiresAt).getTime());
    const leaseB = await b.call<Lease>("acquire", { name: "fence", ttlMs: 60_000 });
    expect(leaseB).toMatchObject({ owner: b.owner, epoch: 2 });
    a.kill("SIGCONT");
    const late = await a
      .call("fencedEnqueue", { lease: leaseA, queue: "fence-writes", key: "a-late" })
      .catch((e: unknown) => e);
    expect(late).toBeInstanceOf(ChildCommandError);
    expect((late as ChildCommandError).errorName).toBe("LeaseLost");
    await expect(a.call("renew", { lease: leaseA, ttlMs: 1_000 })).rejects.toThrow(/LeaseLost/);
    await b.call("fencedEnqueue", { lease: leaseB, queue: "fence-writes", key: "b" });
    const keys = (await db().workJob.findMany({ where: { queue: "fence-writes" } })).map((j) => j.key).sort();
    expect(keys).toEqual(["a-before", "b"]);
  });

  it("two processes draining one queue: every job claimed once, none twice", async () => {
    const queue = "drain";
    const total = 200;
    for (let i = 0; i < total; i++) await enqueue(db(), { queue, key: `job-${i}` });
    const at = Date.now() + 300;
    const [got1, got2] = await Promise.all([
      a.call<string[]>("drain", { queue, at }),
      b.call<string[]>("drain", { queue, at }),
    ]);
    const both = [...got1, ...got2];
    expect(new Set(both).size).toBe(total);
    expect(both).toHaveLength(total);
    // both really took part (otherwise this proved nothing about exclusivity)
    expect(got1.length).toBeGreaterThan(0);
    expect(got2.length).toBeGreaterThan(0);
    const rows = await db().workJob.findMany({ where: { queue } });
    expect(rows.every((r) => r.state === "succeeded" && r.attempt === 1 && r.epoch === 1)).toBe(true);
  });

  it("kill -9 of a process holding a job: re-claimed after the lease with a higher epoch; the dead claim's completion is refused", async () => {
    const queue = "crash";
    await enqueue(db(), { queue, key: "only" });
    const doomed = await spawn();
    const [held] = await doomed.call<ClaimedJob[]>("claim", { queue, leaseMs: 1_500 });
    if (!held) throw new Error("child claimed nothing");
    expect(held).toMatchObject({ attempt: 1, epoch: 1, claimedBy: doomed.owner });
    doomed.kill("SIGKILL");
    expect(await doomed.exited).toBe("SIGKILL");
    // still leased to the dead process
    expect(await claim(queue, "me", { limit: 1, leaseMs: 60_000 })).toEqual([]);
    await until(() => Date.now() >= new Date(held.leaseExpiresAt).getTime());
    const [retaken] = await b.call<ClaimedJob[]>("claim", { queue, leaseMs: 60_000 });
    expect(retaken).toMatchObject({ key: "only", attempt: 2, epoch: 2, claimedBy: b.owner });
    // what a dead owner's late completion would send: refused
    await expect(complete(revive(held))).rejects.toBeInstanceOf(JobLost);
    await b.call("complete", { job: retaken });
    const row = await db().workJob.findUniqueOrThrow({ where: { queue_key: { queue, key: "only" } } });
    expect(row).toMatchObject({ state: "succeeded", epoch: 2, result: JSON.stringify({ by: b.owner }) });
  });
});
