import { describe, expect, it } from "vitest";
import {
  describeFleetFilter,
  isSelected,
  NO_SELECTION,
  onFilterChange,
  parseSelectionParams,
  SELECTION_MAX_SITES,
  selectAllMatching,
  selectedCount,
  selectionParams,
  setSites,
  shownState,
  toggleSite,
} from "./fleet-selection";

describe("fleet-list selection", () => {
  it("ticks and unticks sites one by one, in click order", () => {
    let sel = toggleSite(NO_SELECTION, "b");
    sel = toggleSite(sel, "a");
    expect(sel).toEqual({ mode: "sites", sites: ["b", "a"] });
    expect(selectedCount(sel, 100)).toBe(2);
    sel = toggleSite(sel, "b");
    expect(isSelected(sel, "b")).toBe(false);
    expect(isSelected(sel, "a")).toBe(true);
  });

  it("the header box ticks every shown row, then unticks them; other ticks stay", () => {
    let sel = toggleSite(NO_SELECTION, "elsewhere");
    expect(shownState(sel, ["a", "b"])).toBe("none");
    sel = setSites(sel, ["a", "b"], true);
    expect(shownState(sel, ["a", "b"])).toBe("all");
    expect(shownState(toggleSite(sel, "a"), ["a", "b"])).toBe("some");
    sel = setSites(sel, ["a", "b"], false);
    expect(sel).toEqual({ mode: "sites", sites: ["elsewhere"] });
  });

  it("caps sites ticked one by one (a URL must carry them)", () => {
    const many = Array.from({ length: SELECTION_MAX_SITES + 20 }, (_, i) => `s-${i}`);
    const sel = setSites(NO_SELECTION, many, true);
    expect(selectedCount(sel, many.length)).toBe(SELECTION_MAX_SITES);
  });

  it("'all matching' counts the server's N minus the rows unticked since, and re-ticking restores them", () => {
    let sel = selectAllMatching("kind=store");
    expect(selectedCount(sel, 1234)).toBe(1234);
    expect(isSelected(sel, "never-shown")).toBe(true);
    sel = toggleSite(sel, "x");
    sel = toggleSite(sel, "y");
    expect(selectedCount(sel, 1234)).toBe(1232);
    expect(isSelected(sel, "x")).toBe(false);
    sel = setSites(sel, ["x"], true);
    expect(selectedCount(sel, 1234)).toBe(1233);
    expect(shownState(sel, ["x", "y"])).toBe("some");
    // The fleet shrank under the filter: never a negative count.
    expect(selectedCount(sel, 0)).toBe(0);
  });

  it("a new filter drops 'all matching' (it meant the old filter's sites) but keeps sites ticked by hand", () => {
    const all = selectAllMatching("kind=store");
    expect(onFilterChange(all, "kind=store")).toBe(all);
    expect(onFilterChange(all, "kind=vehicle")).toEqual(NO_SELECTION);
    const ticked = toggleSite(NO_SELECTION, "a");
    expect(onFilterChange(ticked, "kind=vehicle")).toBe(ticked);
  });

  it("travels to a deployment's page: ticked sites as target text, 'all matching' as the filter", () => {
    const ticked = setSites(NO_SELECTION, ["store-a", "store-b"], true);
    expect(selectionParams(ticked).get("to")).toBe("site=store-a|store-b");
    expect(selectionParams(NO_SELECTION).toString()).toBe("");

    const all = toggleSite(selectAllMatching("status=degraded&kind=store"), "store-c");
    const params = selectionParams(all);
    expect(params.get("to")).toBeNull();
    const back = parseSelectionParams((k) => params.get(k));
    expect(back).toEqual({ fleet: "status=degraded&kind=store", except: ["store-c"] });
    expect(parseSelectionParams(() => null)).toBeUndefined();
    // An empty filter is "every site", not "no selection".
    expect(parseSelectionParams((k) => (k === "fleet" ? "" : null))).toEqual({ fleet: "", except: [] });
  });

  it("says the filter in words", () => {
    expect(describeFleetFilter("status=critical,degraded&kind=store&label=region%3Deu&q=berlin")).toBe(
      "state critical or degraded, kind store, label region=eu, search “berlin”",
    );
    expect(describeFleetFilter("")).toBe("every site");
  });
});
