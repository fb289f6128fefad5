import { describe, expect, it } from "vitest";
import { bucketCount } from "./interval";
import { bucketIndex, bucketStart, rowStats, spread, toMatrix } from "./matrix";

const MIN = 60_000;
// A range that does not start on a bucket edge, as a relative range often does not.
const FROM = Date.UTC(2026, 0, 15, 10, 0, 30);
const TO = FROM + 10 * MIN;

describe("heatmap bucketing", () => {
  it("aligns buckets to the epoch like GROUP BY time() and covers [from, to)", () => {
    const m = toMatrix([], FROM, TO, MIN);
    expect(m.start).toBe(Date.UTC(2026, 0, 15, 10, 0, 0));
    expect(m.start % MIN).toBe(0);
    // 10:00:00 … 10:10:00 — eleven buckets touch a 10-minute range that starts at :30.
    expect(m.buckets).toBe(11);
    expect(m.buckets).toBe(bucketCount(FROM, TO, MIN));
    expect(bucketStart(FROM + 59_999, MIN)).toBe(m.start + MIN);
    expect(bucketIndex(m.start + 3 * MIN + 1, m.start, MIN)).toBe(3);
  });

  it("puts each value in its bucket and keeps gaps as null", () => {
    const m = toMatrix(
      [
        {
          row: "t01",
          label: "t01",
          values: [
            { t: m0(0), value: 50 },
            { t: m0(1), value: 51.26 },
            { t: m0(4), value: 55 },
          ],
        },
      ],
      FROM,
      TO,
      MIN,
    );
    const cells = m.rows[0]?.cells ?? [];
    expect(cells).toHaveLength(11);
    expect(cells.slice(0, 5)).toEqual([50, 51.3, null, null, 55]);
    expect(cells.slice(5).every((c) => c === null)).toBe(true);
  });

  it("keeps the hottest sensor where several series share a node's row", () => {
    const m = toMatrix(
      [
        {
          row: "nuc-01",
          label: "nuc-01",
          values: [
            { t: m0(2), value: 61 },
            { t: m0(3), value: 70 },
          ],
        },
        {
          row: "nuc-01",
          label: "nuc-01",
          values: [
            { t: m0(2), value: 64 },
            { t: m0(3), value: 52 },
          ],
        },
        { row: "nuc-02", label: "nuc-02", values: [{ t: m0(2), value: 40 }] },
      ],
      FROM,
      TO,
      MIN,
    );
    expect(m.rows.map((r) => r.id)).toEqual(["nuc-01", "nuc-02"]);
    expect(m.rows[0]?.cells.slice(2, 4)).toEqual([64, 70]);
  });

  it("drops values outside the range's buckets and ignores nulls and NaN", () => {
    const m = toMatrix(
      [
        {
          row: "a",
          label: "a",
          values: [
            { t: m0(-1), value: 99 },
            { t: TO, value: 99 },
            { t: m0(5), value: null },
            { t: m0(6), value: Number.NaN },
            { t: m0(10), value: 42 },
          ],
        },
      ],
      FROM,
      TO,
      MIN,
    );
    const cells = m.rows[0]?.cells ?? [];
    expect(cells.filter((c) => c !== null)).toEqual([42]);
    expect(cells[10]).toBe(42);
  });

  it("a 20-turbine farm over 7 days stays at ≤ 1,000 cells per row", () => {
    const day = 86_400_000;
    const to = Date.UTC(2026, 0, 15, 12);
    const interval = 15 * MIN; // chooseInterval(7 d, 1,000 px)
    const rows = Array.from({ length: 23 }, (_, r) => ({
      row: `t${r}`,
      label: `t${r}`,
      values: Array.from({ length: 7 * 96 }, (_, i) => ({ t: to - 7 * day + i * interval, value: 40 + r })),
    }));
    const m = toMatrix(rows, to - 7 * day, to, interval);
    expect(m.rows).toHaveLength(23);
    expect(m.buckets).toBeLessThanOrEqual(1_000);
    for (const row of m.rows) expect(row.cells.filter((c) => c !== null)).toHaveLength(7 * 96);
  });
});

describe("farm spread", () => {
  it("gives min, median and max across nodes per bucket, ignoring nodes without a reading", () => {
    const m = toMatrix(
      [
        {
          row: "a",
          label: "a",
          values: [
            { t: m0(0), value: 40 },
            { t: m0(1), value: 41 },
          ],
        },
        {
          row: "b",
          label: "b",
          values: [
            { t: m0(0), value: 50 },
            { t: m0(1), value: 45 },
          ],
        },
        { row: "c", label: "c", values: [{ t: m0(0), value: 80 }] },
        { row: "d", label: "d", values: [{ t: m0(0), value: 60 }] },
      ],
      FROM,
      TO,
      MIN,
    );
    const band = spread(m);
    expect(band).toHaveLength(m.buckets);
    // Even count: the mean of the two middle values.
    expect(band[0]).toEqual({ t: m.start, min: 40, median: 55, max: 80, count: 4 });
    expect(band[1]).toEqual({ t: m.start + MIN, min: 41, median: 43, max: 45, count: 2 });
    expect(band[2]).toEqual({ t: m.start + 2 * MIN, min: null, median: null, max: null, count: 0 });
  });

  it("odd counts take the middle value", () => {
    const m = toMatrix(
      ["a", "b", "c"].map((row, i) => ({
        row,
        label: row,
        values: [{ t: m0(0), value: [70, 30, 50][i] ?? 0 }],
      })),
      FROM,
      TO,
      MIN,
    );
    expect(spread(m)[0]).toMatchObject({ min: 30, median: 50, max: 70, count: 3 });
  });
});

describe("row stats (the heatmap's text alternative)", () => {
  it("reports latest, highest with its time, lowest, buckets above the threshold and empty buckets", () => {
    const m = toMatrix(
      [{ row: "a", label: "a", values: [50, 83, 81, 70].map((value, i) => ({ t: m0(i), value })) }],
      FROM,
      TO,
      MIN,
    );
    const row = m.rows[0];
    if (!row) throw new Error("no row");
    expect(rowStats(row, m.start, MIN, 80)).toEqual({
      latest: 70,
      latestAt: m.start + 3 * MIN,
      max: 83,
      maxAt: m.start + MIN,
      min: 50,
      bucketsAbove: 2,
      empty: 7,
    });
    // Exactly at the threshold is not above it.
    expect(rowStats(row, m.start, MIN, 83).bucketsAbove).toBe(0);
  });
});

/** Start of the i-th whole minute bucket of the range. */
function m0(i: number): number {
  return bucketStart(FROM, MIN) + i * MIN;
}
