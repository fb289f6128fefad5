import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { fenced, LeaseLost } from "./lease";
import { singleton } from "./singleton";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

let n = 0;
const fresh = () => `single-${++n}`;

describe("singleton", () => {
  it("one of two loops runs; when it stops the other takes over with a higher epoch", async () => {
    const name = fresh();
    const runs: { owner: string; epoch: number }[] = [];
    const make = (owner: string) =>
      singleton({
        name,
        owner,
        intervalMs: 20,
        // long enough that a renewal delayed by a busy machine never loses it; takeover here is by release
        leaseMs: 5_000,
        async run(lease) {
          runs.push({ owner, epoch: lease.epoch });
          await fenced(lease, (tx) =>
            tx.auditEvent.create({ data: { actorName: owner, action: name, result: "ok" } }),
          );
        },
      });
    const a = make("A");
    const [first] = await a.events.waitFor("acquired");
    const b = make("B");
    await a.events.waitFor("ran");
    await a.events.waitFor("ran");
    expect(b.lease()).toBeNull();
    const takeover = b.events.waitFor("acquired");
    await a.stop(); // releases the lease: B need not wait for expiry
    const [second] = await takeover;
    await b.events.waitFor("ran");
    await b.stop();
    expect(first.epoch).toBe(1);
    expect(second.epoch).toBe(2);
    expect(new Set(runs.filter((r) => r.owner === "A").map((r) => r.epoch))).toEqual(new Set([1]));
    expect(runs.filter((r) => r.owner === "B").every((r) => r.epoch === 2)).toBe(true);
    // never two owners interleaved: all A runs precede all B runs
    const owners = runs.map((r) => r.owner).join("");
    expect(owners).toMatch(/^A+B+$/);
    expect(await db().auditEvent.count({ where: { action: name } })).toBe(runs.length);
  });

  it("a run whose lease was taken over gets an aborted signal and its fenced writes are refused", async () => {
    const name = fresh();
    let sawAbort = false;
    let writeError: unknown;
    let proceed!: () => void;
    const stalled = new Promise<void>((r) => {
      proceed = r;
    });
    const a = singleton({
      name,
      owner: "A",
      intervalMs: 60_000,
      leaseMs: 300,
      async run(lease, signal) {
        signal.addEventListener("abort", () => {
          sawAbort = true;
        });
        await stalled;
        writeError = await fenced(lease, (tx) =>
          tx.auditEvent.create({ data: { actorName: "A", action: name, result: "ok" } }),
        ).catch((e: unknown) => e);
      },
    });
    await a.events.waitFor("acquired");
    // Someone else takes the lease as if A had been paused past its expiry.
    await db().workLease.update({
      where: { name },
      data: { owner: "B", epoch: { increment: 1 }, expiresAt: new Date(Date.now() + 60_000) },
    });
    await a.events.waitFor("lost");
    proceed();
    await a.events.waitFor("ran");
    await a.stop();
    expect(sawAbort).toBe(true);
    expect(writeError).toBeInstanceOf(LeaseLost);
    expect(await db().auditEvent.count({ where: { action: name } })).toBe(0);
    expect((await db().workLease.findUniqueOrThrow({ where: { name } })).owner).toBe("B");
  });
});
