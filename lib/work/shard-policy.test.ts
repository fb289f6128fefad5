import { describe, expect, it } from "vitest";
import { fairShare, hash32, planShardTick, type ShardView, shardOf } from "./shard-policy";

const view = (over: Partial<ShardView> & { owners?: Map<number, string> }): ShardView => ({
  shardCount: 8,
  self: "b",
  live: ["a", "b"],
  owners: new Map(),
  ...over,
});
const own = (entries: [number, string][]) => new Map(entries);
const range = (from: number, to: number, owner: string): [number, string][] =>
  Array.from({ length: to - from }, (_, i) => [from + i, owner]);

describe("shardOf", () => {
  it("is stable (FNV-1a) and within range", () => {
    expect(hash32("")).toBe(0x811c9dc5);
    expect(hash32("a")).toBe(0xe40c292c);
    expect(shardOf("cluster-1", 256)).toBe(shardOf("cluster-1", 256));
    for (const id of ["x", "cm5abc", "🦀", "a".repeat(1000)]) {
      const s = shardOf(id, 256);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(256);
    }
  });
  it("spreads cuid-like ids evenly over 256 shards", () => {
    const counts = new Array(256).fill(0) as number[];
    for (let i = 0; i < 25_600; i++) {
      const s = shardOf(`cm${(i * 7919).toString(36)}x${i}`, 256);
      counts[s] = (counts[s] ?? 0) + 1;
    }
    expect(Math.max(...counts)).toBeLessThan(160);
    expect(Math.min(...counts)).toBeGreaterThan(50);
  });
});

describe("fairShare", () => {
  it("splits evenly, the remainder to the first ids, summing to the shard count", () => {
    expect(["a", "b", "c"].map((id) => fairShare(256, ["c", "a", "b"], id))).toEqual([86, 85, 85]);
    expect(fairShare(256, [], "only")).toBe(256);
    expect(fairShare(256, ["x"], "only")).toBe(128); // self counts even when missing from the list
    for (let n = 1; n <= 10; n++) {
      const ids = Array.from({ length: n }, (_, i) => `i${i}`);
      expect(ids.reduce((sum, id) => sum + fairShare(256, ids, id), 0)).toBe(256);
    }
  });
});

describe("planShardTick", () => {
  it("alone: claims every shard", () => {
    expect(planShardTick(view({ live: ["b"] }))).toEqual({ target: 8, release: [], claim: 8 });
  });
  it("two starting at once: each claims only its share", () => {
    expect(planShardTick(view({}))).toEqual({ target: 4, release: [], claim: 4 });
  });
  it("a joiner makes the holder release its excess, highest shards first", () => {
    const v = view({ self: "a", live: ["a", "b"], owners: own(range(0, 8, "a")) });
    expect(planShardTick(v)).toEqual({ target: 4, release: [7, 6, 5, 4], claim: 0 });
  });
  it("the joiner claims what was released", () => {
    const v = view({ self: "b", live: ["a", "b"], owners: own(range(0, 4, "a")) });
    expect(planShardTick(v)).toEqual({ target: 4, release: [], claim: 4 });
  });
  it("over its share with nobody waiting (the joiner not yet live): keeps everything", () => {
    const v = view({ self: "a", live: ["a"], owners: own(range(0, 8, "a")) });
    expect(planShardTick(v)).toEqual({ target: 8, release: [], claim: 0 });
  });
  it("shards of an owner that died are claimed by the survivors, each up to its new share", () => {
    // c died: its 3 shards expired (not in owners) and c is no longer live
    const owners = own([...range(0, 3, "a"), ...range(3, 6, "b")]);
    expect(planShardTick(view({ shardCount: 9, self: "a", live: ["a", "b"], owners }))).toEqual({
      target: 5,
      release: [],
      claim: 2,
    });
    expect(planShardTick(view({ shardCount: 9, self: "b", live: ["a", "b"], owners }))).toEqual({
      target: 4,
      release: [],
      claim: 1,
    });
  });
  it("free shards while everyone else has its share: takes them all", () => {
    const v = view({
      shardCount: 9,
      self: "a",
      live: ["a", "b"],
      owners: own([...range(0, 2, "a"), ...range(2, 6, "b")]),
    });
    expect(planShardTick(v)).toEqual({ target: 5, release: [], claim: 3 });
  });
  it("at its share and others short: claims nothing more", () => {
    const v = view({ self: "a", live: ["a", "b"], owners: own(range(0, 4, "a")) });
    expect(planShardTick(v)).toEqual({ target: 4, release: [], claim: 0 });
  });
  it("never claims more than are free", () => {
    const v = view({ self: "b", live: ["a", "b"], owners: own(range(0, 7, "a")) });
    expect(planShardTick(v).claim).toBe(1);
  });
  it("ignores shards held by instances that are not live (counted as taken, not as a share)", () => {
    const v = view({ self: "a", live: ["a"], owners: own([...range(0, 4, "a"), ...range(4, 8, "ghost")]) });
    expect(planShardTick(v)).toEqual({ target: 8, release: [], claim: 0 });
  });
});
