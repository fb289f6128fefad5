import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { acquireLease, fenced, LeaseLost, readLease, releaseLease, renewLease } from "./lease";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
});
afterAll(() => cleanup());

const T0 = Date.parse("2026-12-01T10:00:00Z");
let n = 0;
const fresh = () => `lease-${++n}`;

describe("leases", () => {
  it("the first acquirer gets epoch 1; a second owner is refused while it is held", async () => {
    const name = fresh();
    const a = await acquireLease(name, "A", 30_000, { now: T0 });
    expect(a).toMatchObject({ name, owner: "A", epoch: 1 });
    expect(a?.expiresAt.getTime()).toBe(T0 + 30_000);
    expect(await acquireLease(name, "B", 30_000, { now: T0 + 29_999 })).toBeNull();
    // the holder itself cannot "re-acquire" (it renews instead)
    expect(await acquireLease(name, "A", 30_000, { now: T0 + 1 })).toBeNull();
  });

  it("an expired lease is taken over with epoch + 1, and the old holder can no longer renew", async () => {
    const name = fresh();
    const a = await acquireLease(name, "A", 30_000, { now: T0 });
    if (!a) throw new Error("not acquired");
    const b = await acquireLease(name, "B", 30_000, { now: T0 + 30_000 });
    expect(b).toMatchObject({ owner: "B", epoch: 2 });
    await expect(renewLease(a, 30_000, { now: T0 + 30_001 })).rejects.toBeInstanceOf(LeaseLost);
    const renewed = await renewLease(b as NonNullable<typeof b>, 30_000, { now: T0 + 40_000 });
    expect(renewed).toMatchObject({ owner: "B", epoch: 2 });
    expect(renewed.expiresAt.getTime()).toBe(T0 + 70_000);
  });

  it("renewing keeps the epoch and pushes expiry out, so nobody can take it", async () => {
    const name = fresh();
    let a = await acquireLease(name, "A", 10_000, { now: T0 });
    if (!a) throw new Error("not acquired");
    for (let i = 1; i <= 5; i++) a = await renewLease(a, 10_000, { now: T0 + i * 5_000 });
    expect(a.epoch).toBe(1);
    expect(await acquireLease(name, "B", 10_000, { now: T0 + 30_000 })).toBeNull();
    expect(await acquireLease(name, "B", 10_000, { now: T0 + 35_000 })).toMatchObject({ epoch: 2 });
  });

  it("a released lease is free at once and the next holder's epoch still goes up", async () => {
    const name = fresh();
    const a = await acquireLease(name, "A", 60_000, { now: T0 });
    if (!a) throw new Error("not acquired");
    await releaseLease(a, { now: T0 + 1_000 });
    const b = await acquireLease(name, "B", 60_000, { now: T0 + 1_000 });
    expect(b).toMatchObject({ owner: "B", epoch: 2 });
    // releasing a lease one no longer holds changes nothing
    await releaseLease(a, { now: T0 + 2_000 });
    expect(await readLease(name)).toMatchObject({ owner: "B", epoch: 2 });
  });

  it("fenced() commits while the lease is held and refuses, writing nothing, after a takeover", async () => {
    const name = fresh();
    const a = await acquireLease(name, "A", 1_000, { now: T0 });
    if (!a) throw new Error("not acquired");
    await fenced(a, (tx) => tx.auditEvent.create({ data: { actorName: "A", action: name, result: "ok" } }));
    const b = await acquireLease(name, "B", 1_000, { now: T0 + 1_000 });
    expect(b?.epoch).toBe(2);
    await expect(
      fenced(a, (tx) => tx.auditEvent.create({ data: { actorName: "A-late", action: name, result: "ok" } })),
    ).rejects.toBeInstanceOf(LeaseLost);
    await fenced(b as NonNullable<typeof b>, (tx) =>
      tx.auditEvent.create({ data: { actorName: "B", action: name, result: "ok" } }),
    );
    const writers = await db().auditEvent.findMany({ where: { action: name }, orderBy: { at: "asc" } });
    expect(writers.map((w) => w.actorName)).toEqual(["A", "B"]);
  });

  it("fenced() rolls back everything when the callback throws", async () => {
    const name = fresh();
    const a = await acquireLease(name, "A", 60_000, { now: T0 });
    if (!a) throw new Error("not acquired");
    await expect(
      fenced(a, async (tx) => {
        await tx.auditEvent.create({ data: { actorName: "A", action: name, result: "ok" } });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db().auditEvent.count({ where: { action: name } })).toBe(0);
  });

  it("of many owners racing for a free lease, exactly one wins", async () => {
    const name = fresh();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => acquireLease(name, `R${i}`, 60_000, { now: T0 })),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]?.epoch).toBe(1);
  });
});
