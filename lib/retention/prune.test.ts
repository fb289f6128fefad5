import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { waitFor } from "@/lib/simulator/testing";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { retentionCutoff } from "./policy";
import { pruneHistory } from "./prune";
import { retentionService } from "./service";

// Real SQLite: what a retention pass deletes and, as important, what it keeps.

const DAY = 86_400_000;
const NOW = Date.parse("2026-12-01T12:00:00.000Z");
let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
  const site = await db().site.create({ data: { slug: "s", name: "S", kind: "store" } });
  for (const name of ["a", "b"]) {
    await db().cluster.create({
      data: {
        id: name,
        siteId: site.id,
        name,
        server: `https://${name}.example:6443`,
        contextName: "default",
        authKind: "token",
        kubeconfigEnc: "v1:x",
      },
    });
  }
});

afterAll(async () => {
  await cleanup?.();
});

beforeEach(async () => {
  await db().contactEvent.deleteMany();
  await db().auditEvent.deleteMany();
});

const daysAgo = (d: number) => new Date(NOW - d * DAY);

describe("retention", () => {
  it("deletes contact history past the retention but keeps each cluster's newest event", async () => {
    // a: an old up/down pair and a recent event; b: dark for 90 days, its only events are old.
    await db().contactEvent.createMany({
      data: [
        { clusterId: "a", at: daysAgo(45), kind: "down", errorClass: "refused" },
        { clusterId: "a", at: daysAgo(44), kind: "up" },
        { clusterId: "a", at: daysAgo(2), kind: "down", errorClass: "timeout" },
        { clusterId: "b", at: daysAgo(120), kind: "up" },
        { clusterId: "b", at: daysAgo(90), kind: "down", errorClass: "refused" },
      ],
    });
    const result = await pruneHistory({ contactHistoryDays: 30, auditDays: 365 }, { now: NOW });
    expect(result.contactEvents).toBe(3);
    const left = await db().contactEvent.findMany({ orderBy: [{ clusterId: "asc" }, { at: "asc" }] });
    expect(left.map((e) => [e.clusterId, e.kind, e.at.getTime()])).toEqual([
      ["a", "down", daysAgo(2).getTime()],
      // b has been down for 90 days: the row that says so stays.
      ["b", "down", daysAgo(90).getTime()],
    ]);
  });

  it("keeps an intermittent run that is still open or ended within the retention", async () => {
    await db().contactEvent.createMany({
      data: [
        {
          clusterId: "a",
          at: daysAgo(50),
          kind: "intermittent",
          polls: 900,
          failures: 400,
          endAt: daysAgo(10),
        },
        {
          clusterId: "a",
          at: daysAgo(45),
          kind: "intermittent",
          polls: 90,
          failures: 40,
          endAt: daysAgo(40),
        },
        { clusterId: "a", at: daysAgo(9), kind: "up" },
        { clusterId: "b", at: daysAgo(60), kind: "intermittent", polls: 5_000, failures: 2_000 },
        { clusterId: "b", at: daysAgo(1), kind: "cert-changed" },
      ],
    });
    expect((await pruneHistory({ contactHistoryDays: 30, auditDays: 0 }, { now: NOW })).contactEvents).toBe(
      1,
    );
    const left = await db().contactEvent.findMany({ orderBy: { at: "asc" } });
    expect(left.map((e) => [e.clusterId, e.kind, e.polls])).toEqual([
      ["b", "intermittent", 5_000],
      ["a", "intermittent", 900],
      ["a", "up", null],
      ["b", "cert-changed", null],
    ]);
  });

  it("deletes in bounded batches until the backlog is gone", async () => {
    const old = Array.from({ length: 1_050 }, (_, i) => ({
      clusterId: i % 2 === 0 ? "a" : "b",
      at: new Date(daysAgo(40).getTime() + i * 1_000),
      kind: i % 4 < 2 ? "down" : "up",
    }));
    await db().contactEvent.createMany({ data: [...old, { clusterId: "a", at: daysAgo(1), kind: "up" }] });
    const result = await pruneHistory({ contactHistoryDays: 30, auditDays: 0 }, { now: NOW, batchSize: 100 });
    // b keeps its newest (old) event, a keeps its recent one.
    expect(result.contactEvents).toBe(1_050 - 1);
    expect(await db().contactEvent.count()).toBe(2);
  });

  it("expires the audit log after its own retention, and 0 keeps a history forever", async () => {
    await db().auditEvent.createMany({
      data: [
        { at: daysAgo(400), actorName: "admin", action: "cluster.register", result: "ok" },
        { at: daysAgo(300), actorName: "admin", action: "cluster.delete", result: "ok" },
      ],
    });
    await db().contactEvent.createMany({
      data: [
        { clusterId: "a", at: daysAgo(400), kind: "up" },
        { clusterId: "a", at: daysAgo(399), kind: "down" },
      ],
    });
    expect(await pruneHistory({ contactHistoryDays: 0, auditDays: 365 }, { now: NOW })).toEqual({
      contactEvents: 0,
      auditEvents: 1,
    });
    expect((await db().auditEvent.findMany()).map((e) => e.action)).toEqual(["cluster.delete"]);
    expect(await db().contactEvent.count()).toBe(2);
    expect(await pruneHistory({ contactHistoryDays: 30, auditDays: 0 }, { now: NOW })).toEqual({
      contactEvents: 1,
      auditEvents: 0,
    });
  });

  it("computes cut-offs by whole days and none for 'forever'", () => {
    expect(retentionCutoff(30, NOW)?.toISOString()).toBe("2026-11-01T12:00:00.000Z");
    expect(retentionCutoff(0, NOW)).toBeNull();
  });

  it("runs as a worker-host service: a pass as soon as it holds its lease, stopped cleanly", async () => {
    await db().contactEvent.createMany({
      data: [
        { clusterId: "a", at: new Date(Date.now() - 60 * DAY), kind: "down" },
        { clusterId: "a", at: new Date(Date.now() - 59 * DAY), kind: "up" },
      ],
    });
    const controller = new AbortController();
    const running = await retentionService.start({
      instanceId: "retention-test",
      role: "worker",
      signal: controller.signal,
    });
    try {
      await waitFor(async () => (await db().contactEvent.count()) === 1, 10_000, 20);
      expect((await db().contactEvent.findFirst())?.kind).toBe("up");
    } finally {
      controller.abort();
      await running.stop();
    }
  });
});
