import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { isSameReading } from "./diff";
import { loadSourceNodes, loadStatus, writeTick } from "./store";
import { type NodeLatest, nodeKey, type SourceTickStatus } from "./types";

// The tick's write on the real database: every row the first time (more than
// one statement's worth), then only the rows whose readings moved, and every
// row again when someone else ticked the source in between. Upserts and deletes
// over several statements: row-json.test.ts (small chunks).

const T = Date.UTC(2026, 11, 2, 5, 0, 0);
const SOURCE = "src";
/** More than one INSERT statement (JSON_CHUNK: 2,000 rows). */
const HOSTS = 2_203;

let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
  await db().dataSource.create({
    data: { id: SOURCE, name: "Telegraf", url: "http://127.0.0.1:1", database: "t", isDefault: true },
  });
});

afterAll(async () => {
  await cleanup?.();
});

function node(i: number, tick: number, patch: Partial<NodeLatest> = {}): NodeLatest {
  const at = T + tick * 10_000;
  return {
    sourceId: SOURCE,
    siteTag: `store-${Math.floor(i / 2)}`,
    clusterTag: "k3s",
    host: `n${i}`,
    siteId: null,
    clusterId: null,
    tempC: 40 + (i % 30) + 0.1,
    tempAt: T - 4_000,
    windowMaxC: 40 + (i % 30) + 0.3,
    windowMaxAt: T - 6_000,
    windowFrom: at - 20_000,
    windowTo: at,
    lastPointAt: T - 4_000,
    pingAt: T - 3_000,
    lossPct: 0,
    rttMs: 10 + (i % 7) / 4,
    keyValue: null,
    keyAt: null,
    skewMs: null,
    skewSeenAt: null,
    probeNewestAt: null,
    probeAt: null,
    tickAt: at,
    ...patch,
  };
}

function status(tickSeq: number): SourceTickStatus {
  const at = T + tickSeq * 10_000;
  return {
    sourceId: SOURCE,
    tickSeq,
    lastTickAt: at,
    lastOkAt: at,
    lastErrorAt: null,
    lastErrorReason: null,
    lastErrorMessage: null,
    queryMs: 50,
    hosts: 0,
    windowFrom: at - 20_000,
    windowTo: at,
    lastMode: "raw",
  };
}

const byKey = (nodes: readonly NodeLatest[]) => new Map(nodes.map((n) => [nodeKey(n), n]));

async function expectStored(expected: readonly NodeLatest[]): Promise<void> {
  const rows = await loadSourceNodes(SOURCE);
  expect(rows).toHaveLength(expected.length);
  const want = byKey(expected);
  const wrong = rows.filter((r) => {
    const w = want.get(nodeKey(r));
    return !w || !isSameReading(r, w);
  });
  expect(wrong.map((r) => r.host)).toEqual([]);
}

describe("writeTick", () => {
  it("writes only what moved, and every row again when the store is not as this writer left it", async () => {
    const first = Array.from({ length: HOSTS }, (_, i) => node(i, 1));
    const full = await writeTick(status(1), first);
    expect(full).toEqual({ rowsWritten: HOSTS, rowsDeleted: 0, isFullRewrite: true });
    await expectStored(first);

    // Tick 2: hosts 0–599 report (a new reading each), host 1000 is gone, a new host appears;
    // everyone else's row differs only by the tick that computed it.
    const second = first
      .filter((n) => n.host !== "n1000")
      .map((n, i) =>
        i < 600
          ? node(i, 2, { tempC: (n.tempC ?? 0) + 0.2, tempAt: T + 6_000, lastPointAt: T + 6_000 })
          : { ...n, windowFrom: T, windowTo: T + 20_000, tickAt: T + 20_000 },
      );
    second.push(node(HOSTS, 2));
    const incremental = await writeTick(status(2), second, { stored: { nodes: byKey(first), tickSeq: 1 } });
    expect(incremental).toEqual({ rowsWritten: 601, rowsDeleted: 1, isFullRewrite: false });
    await expectStored(second);
    expect((await loadStatus(SOURCE))?.tickSeq).toBe(2);

    // Nothing moved: no host row is written, the status still is.
    const idle = await writeTick(status(3), second, { stored: { nodes: byKey(second), tickSeq: 2 } });
    expect(idle).toEqual({ rowsWritten: 0, rowsDeleted: 0, isFullRewrite: false });
    expect((await loadStatus(SOURCE))?.tickSeq).toBe(3);

    // Another instance ticked in between (tickSeq 4) and left other readings: replace every row.
    const other = second.map((n, i) => (i === 5 ? { ...n, tempC: 99 } : n));
    await writeTick(status(4), other);
    const fourth = await writeTick(status(5), second, { stored: { nodes: byKey(second), tickSeq: 3 } });
    expect(fourth).toMatchObject({ isFullRewrite: true, rowsWritten: second.length });
    await expectStored(second);
  });

  it("rolls the whole tick back when a write in it fails", async () => {
    const before = await loadSourceNodes(SOURCE);
    const seq = (await loadStatus(SOURCE))?.tickSeq ?? 0;
    const moved = before.map((n) => ({ ...n, tempC: 12.5 }));
    await expect(
      writeTick(status(seq + 1), moved, {
        stored: { nodes: byKey(before), tickSeq: seq },
        // A mark that fails (here: a row that does not exist) fails the tick's transaction.
        extra: (tx) => [
          tx.telemetrySourceStatus.update({ where: { sourceId: "missing" }, data: { hosts: 1 } }),
        ],
      }),
    ).rejects.toThrow();
    await expectStored(before);
    expect((await loadStatus(SOURCE))?.tickSeq).toBe(seq);
  });
});
