import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "@/lib/db/client";
import { dialect } from "@/lib/db/dialect";
import { parseSchema } from "@/lib/db/schema-model";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { COLUMN_KINDS, COLUMNS, jsonRowWriter, rowId } from "./row-json";
import { loadSourceNodes, toRow, writeTick } from "./store";
import { type NodeLatest, nodeKey, type SourceTickStatus } from "./types";

// The JSON row writer against what Prisma itself stores: the same hosts are
// written once by the writer (source "json") and once by Prisma's createMany
// (source "ref"), then every column is compared as the database holds it
// (SQLite: storage class and bytes; PostgreSQL: the value as text), so a
// timestamp spelled differently, a float that lost a bit or text re-encoded
// would show even where reading it back through Prisma hides it.

const JSON_SOURCE = "json";
const REF_SOURCE = "ref";

let cleanup: () => Promise<void>;

beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
  for (const id of [JSON_SOURCE, REF_SOURCE])
    await db().dataSource.create({
      data: { id, name: id, url: "http://127.0.0.1:1", database: "t", isDefault: id === JSON_SOURCE },
    });
});

afterAll(async () => {
  await cleanup?.();
});

const T = Date.UTC(2026, 11, 2, 5, 0, 0, 123);
const iso = (s: string) => new Date(s).getTime();

/** Times at the edges: before 1970, the epoch, whole seconds, InfluxDB's range, year 1 and 9999. */
const TIMES = [
  T,
  0,
  -1,
  Date.UTC(2026, 11, 2, 5, 0, 0, 0),
  iso("1677-09-21T00:12:43.145Z"),
  iso("2262-04-11T23:47:16.854Z"),
  iso("0001-01-01T00:00:00.000Z"),
  iso("9999-12-31T23:59:59.999Z"),
];

/**
 * Doubles that print oddly or sit at the edges of the format. (±Number.MAX_VALUE
 * has its own test: Prisma's createMany cannot store it, see below.)
 */
const FLOATS = [
  40.1,
  0.1 + 0.2,
  0,
  -0,
  5e-324,
  -Number.MIN_VALUE,
  1.5e300,
  -1.5e300,
  2.2250738585072014e-308,
  2 ** 53 + 2,
  2 ** 63,
  1e21,
  -7_200_000,
  123.45678901234568,
];

/** Text as tags may carry it: scripts, emoji, combining marks, quotes, separators, a lone surrogate. */
const TEXTS = [
  "Zürich-北京-😀",
  "e\u0301 שלום ‍👩‍🔧",
  `quote ' double " back \\ slash`,
  '\'); DELETE FROM "TelemetryNodeLatest"; --',
  "unit\u001fseparator\u2028line",
  "",
  "x".repeat(2_000),
  "lone \ud800 surrogate",
  "tab\tnew\nline\r",
];

function at<T>(list: readonly T[], i: number): T {
  return list[i % list.length] as T;
}

/** Host i of a source, each column taking its own turn through the edge values (every third nullable one null). */
function edgeNode(sourceId: string, i: number): NodeLatest {
  const t = (k: number) => (k % 3 === 2 ? null : at(TIMES, i + k));
  const f = (k: number) => (k % 3 === 1 ? null : at(FLOATS, i + k));
  return {
    sourceId,
    siteTag: at(TEXTS, i),
    clusterTag: at(TEXTS, i + 3),
    host: `h${i} ${at(TEXTS, i + 5)}`,
    siteId: i % 4 === 0 ? null : at(TEXTS, i + 1),
    clusterId: i % 5 === 0 ? null : at(TEXTS, i + 2),
    tempC: f(i),
    tempAt: t(i),
    windowMaxC: f(i + 1),
    windowMaxAt: t(i + 1),
    windowFrom: t(i + 2),
    windowTo: t(i + 3),
    lastPointAt: t(i + 4),
    pingAt: t(i + 5),
    lossPct: f(i + 2),
    rttMs: f(i + 3),
    keyValue: f(i + 4),
    keyAt: t(i + 6),
    skewMs: f(i + 5),
    skewSeenAt: t(i + 7),
    probeNewestAt: t(i + 8),
    probeAt: t(i + 9),
    tickAt: at(TIMES, i),
  };
}

const HOSTS = 3 * TEXTS.length * FLOATS.length;
const edgeNodes = (sourceId: string, from = 0) =>
  Array.from({ length: HOSTS }, (_, i) => edgeNode(sourceId, from + i));

function status(sourceId: string, tickSeq: number): SourceTickStatus {
  return {
    sourceId,
    tickSeq,
    lastTickAt: T,
    lastOkAt: T,
    lastErrorAt: null,
    lastErrorReason: null,
    lastErrorMessage: null,
    queryMs: 1,
    hosts: 0,
    windowFrom: null,
    windowTo: null,
    lastMode: "raw",
  };
}

/** Every column of a source's rows as stored, keyed by the row id without its source. */
async function stored(sourceId: string): Promise<Map<string, Record<string, unknown>>> {
  const isPg = dialect() === "postgresql";
  const select = COLUMNS.map((c, i) => {
    if (isPg) return `"${c}"::text AS c${i}`;
    // SQLite: the storage class, and the value itself for REAL (exact as a JS number), else its bytes.
    const value = COLUMN_KINDS[c] === "float" ? `"${c}"` : `hex("${c}")`;
    return `typeof("${c}") AS t${i}, ${value} AS c${i}`;
  }).join(", ");
  const rows = await db().$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT "id" AS rid, ${select} FROM "TelemetryNodeLatest" WHERE "sourceId" = ${isPg ? "$1" : "?"}`,
    sourceId,
  );
  const sourceIndex = COLUMNS.indexOf("sourceId");
  const idIndex = COLUMNS.indexOf("id");
  return new Map(
    rows.map((r) => {
      const { rid, ...rest } = r;
      // The source differs on purpose; everything else must not.
      delete rest[`c${sourceIndex}`];
      delete rest[`c${idIndex}`];
      return [String(rid).slice(sourceId.length), rest];
    }),
  );
}

async function expectSameAsPrisma(): Promise<void> {
  const [mine, prisma] = await Promise.all([stored(JSON_SOURCE), stored(REF_SOURCE)]);
  expect(mine.size).toBe(prisma.size);
  expect([...mine.keys()].sort()).toEqual([...prisma.keys()].sort());
  const differing: string[] = [];
  for (const [k, v] of mine) {
    const p = prisma.get(k) ?? {};
    for (const [c, x] of Object.entries(v))
      if (!Object.is(x, p[c]))
        differing.push(`${COLUMNS[Number(c.slice(1))]} ${c[0]}: ${String(x)} vs ${String(p[c])}`);
  }
  expect(differing.slice(0, 10)).toEqual([]);
}

/** -0 is stored as 0 by every path (Prisma's writes, bound parameters, SQLite itself), this one too. */
function signless(n: NodeLatest): NodeLatest {
  return Object.fromEntries(
    Object.entries(n).map(([k, v]) => [k, Object.is(v, -0) ? 0 : v]),
  ) as unknown as NodeLatest;
}

/** What Prisma writes for these hosts, under the reference source. */
async function writeReference(nodes: readonly NodeLatest[]): Promise<void> {
  await db().telemetryNodeLatest.deleteMany({ where: { sourceId: REF_SOURCE } });
  await db().telemetryNodeLatest.createMany({
    data: nodes.map((n) => toRow({ ...n, sourceId: REF_SOURCE })),
  });
}

describe("the JSON row writer", () => {
  it("lists every column of the model with its Prisma type", () => {
    const schema = parseSchema(fs.readFileSync(path.join(process.cwd(), "prisma/schema.prisma"), "utf8"));
    const model = schema.find((m) => m.name === "TelemetryNodeLatest");
    const kinds: Record<string, string> = { String: "text", Float: "float", DateTime: "datetime" };
    expect(Object.fromEntries((model?.fields ?? []).map((f) => [f.name, kinds[f.type] ?? f.type]))).toEqual(
      COLUMN_KINDS,
    );
  });

  it("inserts every column exactly as Prisma stores it: nulls, edge doubles and times, any text", async () => {
    const nodes = edgeNodes(JSON_SOURCE);
    // Several statements (7 rows each) and a first tick (every row inserted) through writeTick.
    const written = await writeTick(status(JSON_SOURCE, 1), nodes, {
      rowWriter: jsonRowWriter(dialect(), 7),
    });
    expect(written).toEqual({ rowsWritten: HOSTS, rowsDeleted: 0, isFullRewrite: true });
    await writeReference(nodes);
    await expectSameAsPrisma();

    // Read back through Prisma: what went in, except the lone surrogate, which is stored as Prisma stores it.
    const back = new Map((await loadSourceNodes(JSON_SOURCE)).map((n) => [rowId(n.sourceId, nodeKey(n)), n]));
    const ref = new Map((await loadSourceNodes(REF_SOURCE)).map((n) => [nodeKey(n), n]));
    let plain = 0;
    for (const n of nodes) {
      if ([n.siteTag, n.clusterTag, n.host, n.siteId, n.clusterId].some((s) => s?.includes("\ud800")))
        continue;
      plain++;
      const got = back.get(rowId(n.sourceId, nodeKey(n)));
      expect(got).toEqual(signless(n));
      expect(ref.get(nodeKey(n))).toEqual({ ...got, sourceId: REF_SOURCE });
    }
    expect(plain).toBeGreaterThan(HOSTS / 3);

    // SQL filters on the stored columns see both sources alike (SQLite compares the timestamps as text).
    for (const where of [
      { tickAt: { gt: new Date(0) } },
      { tempAt: { lte: new Date(T) } },
      { tempC: { gt: 40 } },
      { siteTag: "" },
    ]) {
      const [mine, prisma] = await Promise.all(
        [JSON_SOURCE, REF_SOURCE].map((sourceId) =>
          db().telemetryNodeLatest.count({ where: { sourceId, ...where } }),
        ),
      );
      expect(mine).toBe(prisma);
      expect(mine).toBeGreaterThan(0);
    }
  });

  it("upserts over existing rows and new ones, and removes by id, exactly as Prisma would leave them", async () => {
    const before = edgeNodes(JSON_SOURCE);
    // Shifted by one: every existing row gets other values in every column, and a new tail of hosts appears.
    const next = edgeNodes(JSON_SOURCE, 1).map((n, i) => {
      const { siteTag, clusterTag, host } = at(before, i);
      return { ...n, siteTag, clusterTag, host };
    });
    const extra = edgeNodes(JSON_SOURCE, HOSTS).map((n) => ({ ...n, host: `new ${n.host}` }));
    const gone = next.filter((_, i) => i % 10 === 3);
    const kept = [...next, ...extra].filter((n) => !gone.includes(n));
    const writer = jsonRowWriter(dialect(), 11);
    const counts = await transaction(async (tx) => {
      const upserted = await writer.upsert(tx, [...next, ...extra]);
      const removed = await writer.remove(
        tx,
        gone.map((n) => rowId(JSON_SOURCE, nodeKey(n))),
      );
      return { upserted, removed };
    });
    expect(counts).toEqual({ upserted: next.length + extra.length, removed: gone.length });
    await writeReference(kept);
    await expectSameAsPrisma();
  });

  it("keeps the largest doubles exact, as the bound parameters before it did", async () => {
    // Prisma's createMany writes ±Number.MAX_VALUE as ±Infinity on SQLite and is refused by PostgreSQL
    // ("out of range"); a raw statement binding the number, like the VALUES writer before, keeps it.
    const n = {
      ...edgeNode(JSON_SOURCE, 0),
      host: "max",
      tempC: Number.MAX_VALUE,
      windowMaxC: -Number.MAX_VALUE,
      lossPct: Number.MIN_VALUE,
    };
    await transaction((tx) => jsonRowWriter(dialect()).upsert(tx, [n]));
    const back = (await loadSourceNodes(JSON_SOURCE)).find((r) => r.host === "max");
    expect(back).toEqual(signless(n));
  });

  it("refuses a value JSON cannot carry instead of storing null", async () => {
    const bad = { ...edgeNode(JSON_SOURCE, 0), host: "inf", tempC: Number.POSITIVE_INFINITY };
    await expect(transaction((tx) => jsonRowWriter(dialect()).upsert(tx, [bad]))).rejects.toThrow(
      /tempC is Infinity/,
    );
  });

  it("stores a NUL in a tag as Prisma does: kept on SQLite, refused by PostgreSQL either way", async () => {
    const n = { ...edgeNode(JSON_SOURCE, 0), host: "nul \u0000 inside" };
    const mine = transaction((tx) => jsonRowWriter(dialect()).upsert(tx, [n]));
    const prisma = db().telemetryNodeLatest.create({ data: toRow({ ...n, sourceId: REF_SOURCE }) });
    if (dialect() === "postgresql") {
      await expect(mine).rejects.toThrow();
      await expect(prisma).rejects.toThrow();
      return;
    }
    await Promise.all([mine, prisma]);
    const [a, b] = await Promise.all([stored(JSON_SOURCE), stored(REF_SOURCE)]);
    const key = rowId("", nodeKey(n));
    expect(a.get(key)).toBeDefined();
    expect(a.get(key)).toStrictEqual(b.get(key));
  });
});
