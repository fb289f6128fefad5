import { describe, expect, it } from "vitest";
import { assignRanks, compareByName, RANK_STEP, type Ranked } from "./rank";

function ordered(ranked: Ranked[]): string[] {
  return [...ranked].sort((a, b) => a.rank - b.rank).map((r) => r.id);
}

describe("assignRanks", () => {
  it("orders by name as people read it: numbers by value, case and accents ignored, id last", () => {
    const sites = ["store-10", "store-2", "Store-3", "zürich", "Zurich", "alpha"].map((name, i) => ({
      id: `s${i}`,
      name,
    }));
    const { ranks } = assignRanks([], sites);
    const ranked = sites.map((s) => ({ ...s, rank: ranks.get(s.id) ?? 0 }));
    expect(ordered(ranked).map((id) => sites.find((s) => s.id === id)?.name)).toEqual([
      "alpha",
      "store-2",
      "Store-3",
      "store-10",
      "zürich",
      "Zurich",
    ]);
  });

  it("puts newcomers between their neighbours and touches nobody else", () => {
    const base: Ranked[] = ["a", "c", "e"].map((name, i) => ({ id: name, name, rank: (i + 1) * RANK_STEP }));
    const { ranks, isRenumbered } = assignRanks(base, [
      { id: "d", name: "d" },
      { id: "b", name: "b" },
    ]);
    expect(isRenumbered).toBe(false);
    expect([...ranks.keys()].sort()).toEqual(["b", "d"]);
    expect(ordered([...base, ...[...ranks].map(([id, rank]) => ({ id, name: id, rank }))])).toEqual([
      "a",
      "b",
      "c",
      "d",
      "e",
    ]);
  });

  it("renumbers everything once a gap is used up, keeping the order total and exact", () => {
    let ranked: Ranked[] = [
      { id: "aa", name: "a", rank: RANK_STEP },
      { id: "zz", name: "z", rank: 2 * RANK_STEP },
    ];
    let renumbered = false;
    // Always between the same two neighbours: the gap halves each time.
    for (let i = 0; i < 60; i++) {
      const site = { id: `m${String(i).padStart(2, "0")}`, name: "m" };
      const { ranks, isRenumbered } = assignRanks(ranked, [site]);
      renumbered ||= isRenumbered;
      const byId = new Map([...ranked.map((r) => [r.id, r] as const)]);
      for (const [id, rank] of ranks)
        byId.set(id, { id, name: id === site.id ? site.name : (byId.get(id)?.name ?? ""), rank });
      ranked = [...byId.values()].sort((a, b) => a.rank - b.rank);
    }
    expect(renumbered).toBe(true);
    const byRank = [...ranked].sort((a, b) => a.rank - b.rank);
    expect(new Set(ranked.map((r) => r.rank)).size).toBe(ranked.length);
    expect(byRank.map((r) => r.id)).toEqual([...ranked].sort(compareByName).map((r) => r.id));
  });
});
