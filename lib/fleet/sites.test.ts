import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTempDataDir } from "@/lib/testing/temp-data-dir";
import { containsPattern, createSite, listSites } from "./sites";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  cleanup = (await useTempDataDir()).cleanup;
  for (const name of ["Alpha store", "Beta 100% store", "Gamma_x", "Delta \\ back", "Epsilon"])
    await createSite({ name, kind: "store" });
  await createSite({ name: "Zeta farm", kind: "wind-farm" });
});
afterAll(() => cleanup());

const names = async (q: Record<string, string>) => (await listSites(q)).items.map((s) => s.name);

describe("site search", () => {
  it.each([
    ["%", ["Beta 100% store"]],
    ["_", ["Gamma_x"]],
    ["a_x", ["Gamma_x"]],
    ["\\", ["Delta \\ back"]],
    ["100%", ["Beta 100% store"]],
    ["ALPHA", ["Alpha store"]],
    ["' OR 1=1 --", []],
  ])("q=%j matches literally", async (q, expected) => {
    expect(await names({ q })).toEqual(expected);
    expect((await listSites({ q })).total).toBe(expected.length);
  });

  it("combines text, kind and the keyset cursor", async () => {
    expect(await names({ q: "a", kind: "wind-farm" })).toEqual(["Zeta farm"]);
    const first = await listSites({ kind: "store", limit: 2 });
    expect(first.items.map((s) => s.name)).toEqual(["Alpha store", "Beta 100% store"]);
    expect(first.total).toBe(5);
    const next = await listSites({ kind: "store", limit: 2, cursor: first.nextCursor ?? "" });
    expect(next.items.map((s) => s.name)).toEqual(["Delta \\ back", "Epsilon"]);
  });

  it("escapes the LIKE wildcards and the escape character", () => {
    expect(containsPattern("50%_\\")).toBe("%50\\%\\_\\\\%");
  });
});
